import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import { AppConfig } from './config/app.config';

/**
 * What a request line says about the request and the answer. Allow-lists, applied to the raw objects
 * (`wrapSerializers: false`): no header, body, query string or cookie can reach a log line, so there is
 * nothing left to redact, and nothing is copied per request that the line does not print (pino-http's
 * default serializers copy every request and response header first, and the request's eagerly).
 */
const serializers = {
  // originalUrl: a middleware mounted under a path sees req.url without it (Express strips the mount path).
  req: (req: IncomingMessage & { id?: unknown; originalUrl?: string }) => ({
    id: req.id, method: req.method, url: (req.originalUrl ?? req.url)?.split('?')[0], remoteAddress: req.socket?.remoteAddress,
  }),
  res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
  err: stdSerializers.err,
};

/** Structured JSON logs (pino): one line per request, without headers, bodies, query strings or credentials. */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      wrapSerializers: false,
      serializers,
      autoLogging: { ignore: (req) => req.url === '/health' },
      // Readable lines for people running `npm start`; JSON everywhere else.
      ...(process.env.LOG_FORMAT === 'pretty' ? { transport: { target: 'pino-pretty', options: { singleLine: true, ignore: 'pid,hostname' } } } : {}),
    },
  };
}
