import { errorFactory, ErrorSpec } from '../common/api-error';

export const ADMIN_ERRORS = {
  customer_not_found: { status: 404, message: 'No such customer.' },
  audit_event_not_found: { status: 404, message: 'No such audit event.' },
} satisfies Record<string, ErrorSpec>;

export const adminError = errorFactory(ADMIN_ERRORS);
