import { errorFactory, ErrorSpec } from '../common/api-error';

export const STAFF_ERRORS = {
  staff_not_found: { status: 404, message: 'No such member of staff.' },
  staff_email_taken: { status: 409, message: 'A member of staff with that email already exists.' },
  cannot_change_own_access: { status: 409, message: 'You cannot disable or demote yourself. Ask another admin.' },
} satisfies Record<string, ErrorSpec>;

export const staffError = errorFactory(STAFF_ERRORS);
