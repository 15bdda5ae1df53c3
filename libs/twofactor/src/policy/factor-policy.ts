/** A registered factor kind's name (see FactorRegistry): totp, sms, email and whatever the host app adds. */
export type FactorType = string;
export type FactorRole = 'primary' | 'secondary';
export type FactorStatus = 'pending' | 'active';

/** Which factors a realm allows, and what a complete setup needs. */
export interface FactorPolicy {
  primaryTypes: readonly FactorType[];
  secondaryTypes: readonly FactorType[];
  /** False when `MFA_SECONDARY_POLICY=recommended`: a secondary is offered but not demanded. */
  secondaryRequired: boolean;
  recoveryCodeCount: number;
}

/** The facts about a factor the rules need; nothing secret. */
export interface FactorSnapshot {
  id: string;
  type: FactorType;
  role: FactorRole;
  status: FactorStatus;
}

// Email is never a primary: a mailbox is usually reachable with the same password reset the
// attacker may already control, so it is only acceptable as a fallback.
export const CUSTOMER_POLICY: FactorPolicy = Object.freeze({
  primaryTypes: Object.freeze(['totp', 'sms'] as const),
  secondaryTypes: Object.freeze(['totp', 'sms', 'email'] as const),
  secondaryRequired: true,
  recoveryCodeCount: 10,
});

// Staff use an authenticator app only: SMS and email are too easy to intercept or socially
// engineer for accounts that can reset customers' factors.
export const STAFF_POLICY: FactorPolicy = Object.freeze({
  primaryTypes: Object.freeze(['totp'] as const),
  secondaryTypes: Object.freeze([] as const),
  secondaryRequired: false,
  recoveryCodeCount: 10,
});

/** The types `policy` allows in `role`. */
export function typesAllowedAs(policy: FactorPolicy, role: FactorRole): readonly FactorType[] {
  return role === 'primary' ? policy.primaryTypes : policy.secondaryTypes;
}
