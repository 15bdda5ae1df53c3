import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { pinoHttp, Options } from 'pino-http';
import { loadConfig } from './config/app.config';
import { loggerOptions } from './logging';

/** The lines pino-http writes, with the app's options, for one request answered with `status`. */
function logRequest(url: string, headers: Record<string, string>, status: number, level = 'info', mountedAt = ''): Record<string, unknown>[] {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
  const middleware = pinoHttp(loggerOptions(loadConfig({ LOG_LEVEL: level })).pinoHttp as Options, sink);
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: '203.0.113.7' });
  const req = new IncomingMessage(socket);
  // Under a mount path Express strips it from req.url and keeps the whole URL in originalUrl.
  Object.assign(req, { method: 'POST', url: url.slice(mountedAt.length) || '/', originalUrl: url, headers });
  const res = new ServerResponse(req);
  res.setHeader('Set-Cookie', 'session=secret-cookie');
  res.setHeader('Content-Type', 'application/json');
  middleware(req, res, () => undefined);
  res.statusCode = status;
  res.end('{"accessToken":"secret-token"}');
  res.emit('finish');
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('loggerOptions', () => {
  const secrets = { authorization: 'Bearer secret-bearer', cookie: 'session=secret-cookie', 'x-twilio-signature': 'secret-signature' };

  it('writes one line per request: id, method, path, status and time, and no header, query string or body', () => {
    const lines = logRequest('/auth/mfa/verify?code=123456', secrets, 200);
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({ req: { method: 'POST', url: '/auth/mfa/verify', remoteAddress: '203.0.113.7' }, msg: 'request completed' });
    expect(Object.keys(line.req as object).sort()).toEqual(['id', 'method', 'remoteAddress', 'url']);
    expect(line.res).toEqual({ statusCode: 200 });
    expect(typeof line.responseTime).toBe('number');
    expect(JSON.stringify(line)).not.toMatch(/secret|123456/);
  });

  it('logs the whole path even for a middleware mounted under a prefix', () => {
    const [line] = logRequest('/auth/mfa/verify?code=123456', {}, 200, 'info', '/auth');
    expect(line.req).toMatchObject({ url: '/auth/mfa/verify' });
  });

  it('logs a failed answer with its error, still without credentials', () => {
    const [line] = logRequest('/auth/mfa/verify', secrets, 500);
    expect(line).toMatchObject({ res: { statusCode: 500 }, err: expect.objectContaining({ message: 'failed with status code 500' }) });
    expect(JSON.stringify(line)).not.toMatch(/secret/);
  });

  it('leaves out /health, and every request line below the configured level', () => {
    expect(logRequest('/health', {}, 200)).toEqual([]);
    expect(logRequest('/auth/mfa/verify', secrets, 200, 'warn')).toEqual([]);
  });
});
