import type { FactorPolicy } from '../policy/factor-policy';

// Realm policies for the library's own specs, shaped like a typical host's (Twofold's live in apps/api).
export const CUSTOMER_POLICY: FactorPolicy = { primaryTypes: ['totp', 'sms'], secondaryTypes: ['totp', 'sms', 'email'], secondaryRequired: true, recoveryCodeCount: 10 };
export const STAFF_POLICY: FactorPolicy = { primaryTypes: ['totp'], secondaryTypes: [], secondaryRequired: false, recoveryCodeCount: 10 };
