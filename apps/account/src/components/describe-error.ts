import { ApiError, NetworkError } from '../api/client';
import { t } from '../i18n';
import { PasskeyPromptError } from '../passkeys/passkey-prompt';

/** The customer closed the "confirm it is you" dialog: the change was not made. */
export class StepUpCancelledError extends Error {}

/** The plain-words text for an API failure: our own wording per stable `code`, the API's message otherwise. */
export function describeError(error: unknown): string {
  if (error instanceof NetworkError) return t.errors.network;
  if (error instanceof StepUpCancelledError) return t.errors.step_up_cancelled;
  if (error instanceof PasskeyPromptError) return t.passkey.problems[error.problem];
  if (!(error instanceof ApiError)) return t.errors.generic;
  const { code, attemptsRemaining, retryAfter } = error.body;
  switch (code) {
    case 'invalid_code':
      return t.errors.invalid_code(attemptsRemaining);
    case 'invalid_credential':
      return t.errors.invalid_credential(attemptsRemaining);
    case 'mfa_locked':
      return t.errors.mfa_locked(retryAfter);
    case 'resend_too_soon':
      return t.errors.resend_too_soon(retryAfter);
    case 'too_many_requests':
      return t.errors.too_many_requests(retryAfter);
    case 'validation_failed':
      return validationText(error);
    default: {
      const known = code ? (t.errors as Record<string, unknown>)[code] : undefined;
      if (typeof known === 'string') return known;
      return error.body.message ?? t.errors.generic;
    }
  }
}

function validationText(error: ApiError): string {
  const messages = (error.body.errors ?? []).map((e) => e.message);
  if (messages.some((m) => /too common/i.test(m))) return t.errors.password_common;
  if (messages.some((m) => /12.128 characters/.test(m))) return t.errors.password_too_short;
  return messages.length ? `${t.errors.validation_failed} ${messages.join('; ')}` : t.errors.validation_failed;
}

/** A passkey prompt the person closed: worth a word, not an error. */
export const isClosedPasskeyPrompt = (error: unknown): boolean => error instanceof PasskeyPromptError && error.problem === 'cancelled';

export const errorCode = (error: unknown): string | undefined => (error instanceof ApiError ? error.code : undefined);
