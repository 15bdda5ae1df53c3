import { HttpException } from '@nestjs/common';

interface ErrorSpec {
  status: number;
  message: string;
}

/** Every code the library answers with. Codes are part of the HTTP contract: never rename one. */
export const TWO_FACTOR_ERRORS = {
  unauthorized: { status: 401, message: 'Sign in to continue.' },
  forbidden: { status: 403, message: 'You are not allowed to do that.' },
  invalid_code: { status: 401, message: 'That code is not valid.' },
  invalid_credential: { status: 401, message: 'That passkey could not be verified.' },
  code_expired: { status: 401, message: 'That code has expired. Ask for a new one.' },
  mfa_token_invalid: { status: 401, message: 'This sign-in has expired. Sign in again.' },
  mfa_locked: { status: 423, message: 'Too many failed attempts. Second-factor sign-in is locked for a while.' },
  mfa_setup_incomplete: { status: 403, message: 'Finish setting up two-factor authentication first.' },
  recent_mfa_required: { status: 403, message: 'Confirm a second factor again to do this.' },
  factor_not_found: { status: 404, message: 'No such factor.' },
  factor_not_pending: { status: 409, message: 'That factor is already verified.' },
  factor_exists: { status: 409, message: 'You already have an active factor of this type.' },
  primary_exists: { status: 409, message: 'You already have a primary factor.' },
  primary_required: { status: 409, message: 'You need a primary factor. Make another factor primary first.' },
  secondary_required: { status: 409, message: 'You need at least one backup factor. Add another one first.' },
  email_not_allowed_as_primary: { status: 422, message: 'Email can only be a backup method.' },
  factor_type_not_allowed: { status: 422, message: 'That kind of factor is not allowed in that role.' },
  invalid_phone: { status: 400, message: 'That is not a valid mobile number.' },
  resend_too_soon: { status: 429, message: 'Wait a little before asking for another code.' },
  not_resendable: { status: 400, message: 'This factor does not send codes.' },
  // A TOTP seed sealed under an encryption key that is no longer configured: an operator error, not the user's.
  factor_key_unavailable: { status: 503, message: 'This method cannot be checked just now. Use another method or a recovery code.' },
  delivery_unavailable: { status: 503, message: 'We could not send your code just now. Try again in a minute.' },
} satisfies Record<string, ErrorSpec>;

export type TwoFactorErrorCode = keyof typeof TWO_FACTOR_ERRORS;

export class TwoFactorError extends HttpException {
  constructor(
    readonly code: TwoFactorErrorCode,
    readonly details: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    const spec = TWO_FACTOR_ERRORS[code];
    super({ statusCode: spec.status, code, message: spec.message, ...details }, spec.status, cause === undefined ? undefined : { cause });
  }
}
