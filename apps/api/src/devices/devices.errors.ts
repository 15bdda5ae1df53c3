import { errorFactory, ErrorSpec } from '../common/api-error';

export const DEVICE_ERRORS = {
  device_not_found: { status: 404, message: 'No such remembered device.' },
} satisfies Record<string, ErrorSpec>;

export const deviceError = errorFactory(DEVICE_ERRORS);
