import { RecentSecondFactor } from '@app/twofactor';

/**
 * Support actions that change someone's access need a second factor proven within the hour: a
 * staff session lasts a working day, and a stolen one must not be able to reset customers in bulk.
 * Staff renew the proof with a step-up (POST /admin/me/step-up), which the console offers by itself.
 */
export const SUPPORT_STEP_UP_SECONDS = 3600;
export const SupportStepUp = () => RecentSecondFactor(SUPPORT_STEP_UP_SECONDS);
