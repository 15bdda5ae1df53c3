import { errorFactory, ErrorSpec } from '../common/api-error';

export const WEBHOOK_ERRORS = {
  invalid_signature: { status: 403, message: 'The request signature is missing or wrong.' },
} satisfies Record<string, ErrorSpec>;

export const webhookError = errorFactory(WEBHOOK_ERRORS);
