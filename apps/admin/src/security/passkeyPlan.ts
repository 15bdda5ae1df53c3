import type { FactorRole, OwnFactors } from '../types';

/** How a new passkey can join the member's factors, or why it cannot. */
export type PasskeyPlan =
  | { kind: 'add'; role: FactorRole; mayBecomePrimary: boolean }
  | { kind: 'blocked'; reason: 'has_passkey' | 'passkey_not_allowed' };

/**
 * The realm's policy decides (GET /admin/me/factors → policy): the first method is the primary; next to
 * an existing primary a passkey joins as a secondary and, when passkeys may be primary, is promoted by
 * the usual role change (the roles then swap). One active factor per type.
 */
export function planPasskey({ factors, policy }: OwnFactors): PasskeyPlan {
  const active = factors.filter((factor) => factor.status === 'active');
  if (active.some((factor) => factor.type === 'passkey')) return { kind: 'blocked', reason: 'has_passkey' };
  const mayBePrimary = policy.primaryTypes.includes('passkey');
  if (!active.some((factor) => factor.role === 'primary')) {
    return mayBePrimary ? { kind: 'add', role: 'primary', mayBecomePrimary: false } : { kind: 'blocked', reason: 'passkey_not_allowed' };
  }
  if (!policy.secondaryTypes.includes('passkey')) return { kind: 'blocked', reason: 'passkey_not_allowed' };
  return { kind: 'add', role: 'secondary', mayBecomePrimary: mayBePrimary };
}
