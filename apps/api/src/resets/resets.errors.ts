import { errorFactory, ErrorSpec } from '../common/api-error';

export const RESET_ERRORS = {
  reset_not_found: { status: 404, message: 'No such reset request.' },
  reset_already_pending: { status: 409, message: 'A reset of this customer is already awaiting approval or scheduled.' },
  four_eyes_required: { status: 403, message: 'A reset must be approved by a supervisor other than the one who requested it.' },
  reset_not_awaiting_approval: { status: 409, message: 'This reset is not awaiting approval.' },
  reset_expired: { status: 409, message: 'This reset request expired before it was approved.' },
  reset_not_cancellable: { status: 409, message: 'This reset has already run or been stopped.' },
  no_pending_reset: { status: 404, message: 'There is no pending reset on your account.' },
  second_factor_required: { status: 403, message: 'Sign in with one of your methods first.' },
  cancel_token_invalid: { status: 401, message: 'This cancel link is not valid any more.' },
} satisfies Record<string, ErrorSpec>;

export const resetError = errorFactory(RESET_ERRORS);
