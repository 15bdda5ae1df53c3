import { errorFactory, ErrorSpec } from '../common/api-error';

export const AUTH_ERRORS = {
  invalid_credentials: { status: 401, message: 'Email or password is incorrect.' },
  email_taken: { status: 409, message: 'An account with that email already exists.' },
  refresh_token_invalid: { status: 401, message: 'Sign in again.' },
  refresh_token_reused: { status: 401, message: 'This sign-in was ended for your security. Sign in again.' },
  session_expired: { status: 401, message: 'Your session has expired. Sign in again.' },
  session_not_found: { status: 404, message: 'No such session.' },
  account_disabled: { status: 403, message: 'This account is disabled.' },
} satisfies Record<string, ErrorSpec>;

export const authError = errorFactory(AUTH_ERRORS);
