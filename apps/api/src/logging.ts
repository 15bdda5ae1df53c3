import type { Params } from 'nestjs-pino';
import { AppConfig } from './config/app.config';

// Headers and fields that may carry credentials. Bodies are never logged at all.
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-twilio-signature"]', 'res.headers["set-cookie"]'];

/** Structured JSON logs (pino): one line per request, without bodies, query strings or credentials. */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: {
        req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id, method: req.method, url: req.url.split('?')[0], remoteAddress: req.remoteAddress,
        }),
      },
      autoLogging: { ignore: (req) => req.url === '/health' },
      // Readable lines for people running `npm start`; JSON everywhere else.
      ...(process.env.LOG_FORMAT === 'pretty' ? { transport: { target: 'pino-pretty', options: { singleLine: true, ignore: 'pid,hostname' } } } : {}),
    },
  };
}
