import { errorFactory, ErrorSpec } from './api-error';

export const COMMON_ERRORS = {
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  validation_failed: { status: 400, message: 'Some fields are missing or invalid.' },
  unauthorized: { status: 401, message: 'Sign in to continue.' },
  forbidden: { status: 403, message: 'You are not allowed to do that.' },
  not_found: { status: 404, message: 'Not found.' },
  method_not_allowed: { status: 405, message: 'That method is not allowed here.' },
  payload_too_large: { status: 413, message: 'The request body is too large (16 KiB at most).' },
  unsupported_media_type: { status: 415, message: 'Send JSON (Content-Type: application/json).' },
  too_many_requests: { status: 429, message: 'Too many requests. Try again later.' },
  internal_error: { status: 500, message: 'Something went wrong on our side.' },
  service_unavailable: { status: 503, message: 'The service is unavailable.' },
} satisfies Record<string, ErrorSpec>;

export type CommonErrorCode = keyof typeof COMMON_ERRORS;
export const commonError = errorFactory(COMMON_ERRORS);

/** The code used for a framework HTTP status that no module gave a code of its own. */
export function codeForStatus(status: number): CommonErrorCode {
  const byStatus: Record<number, CommonErrorCode> = {
    400: 'validation_failed', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
    413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'too_many_requests', 503: 'service_unavailable',
  };
  return byStatus[status] ?? (status >= 500 ? 'internal_error' : 'validation_failed');
}
