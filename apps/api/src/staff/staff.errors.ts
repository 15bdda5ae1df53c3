import { errorFactory, ErrorSpec } from '../common/api-error';

export const STAFF_ERRORS = {
  staff_not_found: { status: 404, message: 'No such member of staff.' },
  staff_email_taken: { status: 409, message: 'A member of staff with that email already exists.' },
  cannot_change_own_access: { status: 409, message: 'You cannot disable or demote yourself. Ask another admin.' },
  password_change_required: { status: 403, message: 'Choose a password of your own first (POST /admin/me/password).' },
  setup_password_expired: { status: 401, message: 'This setup password has expired. Ask an admin for a new one.' },
} satisfies Record<string, ErrorSpec>;

export const staffError = errorFactory(STAFF_ERRORS);
