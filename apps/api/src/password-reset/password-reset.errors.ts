import { errorFactory, ErrorSpec } from '../common/api-error';

export const PASSWORD_RESET_ERRORS = {
  // One answer for unknown, used, replaced and expired tokens: which one it was helps only a guesser.
  reset_token_invalid: { status: 401, message: 'This reset link is not valid any more. Ask for a new one.' },
  reset_unavailable: {
    status: 409,
    message: 'This account has no second factor to confirm a reset with. Contact customer services to get back in.',
  },
} satisfies Record<string, ErrorSpec>;

export const passwordResetError = errorFactory(PASSWORD_RESET_ERRORS);
