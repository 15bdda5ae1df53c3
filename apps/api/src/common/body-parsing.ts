import type { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import { COMMON_ERRORS } from './common.errors';
import { isStorableText } from './text';

export const BODY_LIMIT = '16kb';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/**
 * JSON (and the Twilio webhook's form bodies) parsed here rather than by Nest, so malformed or
 * oversized bodies get the contract's error shape instead of the framework's.
 */
export function installBodyParsing(app: INestApplication): void {
  app.use(rejectUnstorableQuery);
  app.use(express.json({ limit: BODY_LIMIT, strict: true }));
  app.use(rejectUnstorableStrings);
  // Form bodies only where a provider sends them: elsewhere they would let a cross-site form post in.
  app.use('/webhooks', express.urlencoded({ limit: BODY_LIMIT, extended: false }));
  app.use((error: BodyParserError, _req: Request, res: Response, next: NextFunction) => {
    if (!error) return next();
    const answer = (status: number, code: keyof typeof COMMON_ERRORS) =>
      res.status(status).json({ statusCode: status, code, message: COMMON_ERRORS[code].message });
    if (error.type === 'entity.too.large') return answer(413, 'payload_too_large');
    if (error.type === 'entity.parse.failed') return answer(400, 'invalid_json');
    if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') return answer(415, 'unsupported_media_type');
    if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) return answer(400, 'invalid_json');
    return next(error);
  });
}

/**
 * A JSON string PostgreSQL could not store as sent (NUL, lone surrogate) is still valid JSON: the
 * body parsed, one field is unacceptable, so the answer is validation_failed naming that field.
 */
function rejectUnstorableStrings(req: Request, res: Response, next: NextFunction) {
  const field = unstorableField(req.body as unknown, '');
  if (field === null) return next();
  return res.status(400).json({
    statusCode: 400, code: 'validation_failed', message: COMMON_ERRORS.validation_failed.message,
    errors: [{ field: field || 'body', message: 'contains characters that cannot be stored' }],
  });
}

/** The path of the first string that cannot be stored, or null. */
function unstorableField(value: unknown, path: string): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (!isStorableText(key)) return childPath;
    const found = unstorableField(child, childPath);
    if (found !== null) return found;
  }
  return null;
}

function rejectUnstorableQuery(req: Request, res: Response, next: NextFunction) {
  let url: string;
  try {
    url = decodeURIComponent(req.url);
  } catch {
    url = '\u0000';
  }
  if (isStorableText(url)) return next();
  return res.status(400).json({ statusCode: 400, code: 'validation_failed', message: COMMON_ERRORS.validation_failed.message, errors: [{ field: 'query', message: 'query contains characters that cannot be stored' }] });
}
