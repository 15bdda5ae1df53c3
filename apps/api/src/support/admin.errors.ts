import { errorFactory, ErrorSpec } from '../common/api-error';

export const ADMIN_ERRORS = {
  customer_not_found: { status: 404, message: 'No such customer.' },
  audit_event_not_found: { status: 404, message: 'No such audit event.' },
  delivery_not_found: { status: 404, message: 'No such delivery.' },
  delivery_not_resendable: { status: 409, message: 'Only a failed notice can be re-sent; codes never are (the customer asks for a new one).' },
  delivery_already_resent: { status: 409, message: 'This notice was already re-sent.' },
} satisfies Record<string, ErrorSpec>;

export const adminError = errorFactory(ADMIN_ERRORS);
