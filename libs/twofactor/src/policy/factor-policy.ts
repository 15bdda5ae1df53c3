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

/** The types `policy` allows in `role`. */
export function typesAllowedAs(policy: FactorPolicy, role: FactorRole): readonly FactorType[] {
  return role === 'primary' ? policy.primaryTypes : policy.secondaryTypes;
}
