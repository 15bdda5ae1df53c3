import { EMAIL_FACTOR_TYPE } from '../factors/email/email-type';
import { FactorPolicy, FactorRole, FactorSnapshot, FactorType, typesAllowedAs } from './factor-policy';

// The factor-set rules, in one place. Pure functions over a snapshot of a subject's factors: the
// caller loads the factors inside the transaction that makes the change, so the check and the
// write see the same state.
//
// Only active factors count towards the rules. Pending factors (enrolment not yet verified) never
// block anything and can always be removed.

export type RuleViolationCode =
  | 'email_not_allowed_as_primary'
  | 'factor_type_not_allowed'
  | 'factor_exists'
  | 'primary_exists'
  | 'primary_required'
  | 'secondary_required';

export interface RuleViolation {
  code: RuleViolationCode;
}

export type SetupRequirement = 'primary' | 'secondary';

export interface FactorRoleChange {
  id: string;
  role: FactorRole;
}

export type RoleChangeResult = { violation: RuleViolation } | { changes: FactorRoleChange[] };

/** What the subject still lacks for a complete setup, counting active factors only. */
export function setupRequired(policy: FactorPolicy, factors: readonly FactorSnapshot[]): SetupRequirement[] {
  const active = factors.filter(isActive);
  const missing: SetupRequirement[] = [];
  if (!active.some((f) => f.role === 'primary')) missing.push('primary');
  if (policy.secondaryRequired && !active.some((f) => f.role === 'secondary')) missing.push('secondary');
  return missing;
}

export function isSetupComplete(policy: FactorPolicy, factors: readonly FactorSnapshot[]): boolean {
  return setupRequired(policy, factors).length === 0;
}

/** May a new (pending) factor of this type be enrolled in this role? */
export function checkAdd(
  policy: FactorPolicy,
  factors: readonly FactorSnapshot[],
  candidate: { type: FactorType; role: FactorRole },
): RuleViolation | null {
  const roleViolation = checkTypeAllowedAs(policy, candidate.type, candidate.role);
  if (roleViolation) return roleViolation;
  const active = factors.filter(isActive);
  // primary_exists before factor_exists: asking for a second primary is the more specific mistake.
  if (candidate.role === 'primary' && active.some((f) => f.role === 'primary')) return violation('primary_exists');
  if (active.some((f) => f.type === candidate.type)) return violation('factor_exists');
  return null;
}

/**
 * May this pending factor become active? The same rules as when it was added, checked again because
 * another factor may have been activated since (two enrolments racing for the primary role).
 */
export function checkActivate(policy: FactorPolicy, factors: readonly FactorSnapshot[], factorId: string): RuleViolation | null {
  const factor = findFactor(factors, factorId);
  if (isActive(factor)) return null; // already active: nothing changes
  return checkAdd(
    policy,
    factors.filter((f) => f.id !== factorId),
    factor,
  );
}

/**
 * The role changes needed to give a factor `newRole`, or why it is refused.
 *
 * Promoting a secondary demotes the current primary (a swap), and demoting the primary promotes
 * the secondary that may be primary, because there is always exactly one active primary. A change
 * may not leave the setup lacking something it had before.
 */
export function checkRoleChange(
  policy: FactorPolicy,
  factors: readonly FactorSnapshot[],
  factorId: string,
  newRole: FactorRole,
): RoleChangeResult {
  const factor = findFactor(factors, factorId);
  if (factor.role === newRole) return { changes: [] };

  const typeViolation = checkTypeAllowedAs(policy, factor.type, newRole);
  if (typeViolation) return { violation: typeViolation };

  // A pending factor is outside the active set, so its role changes alone.
  if (!isActive(factor)) return { changes: [{ id: factor.id, role: newRole }] };

  const changes: FactorRoleChange[] = [{ id: factor.id, role: newRole }];
  if (newRole === 'primary') {
    const currentPrimary = factors.find((f) => isActive(f) && f.role === 'primary');
    if (currentPrimary) {
      const demotion = checkTypeAllowedAs(policy, currentPrimary.type, 'secondary');
      if (demotion) return { violation: demotion };
      changes.push({ id: currentPrimary.id, role: 'secondary' });
    }
  } else {
    // Demoting the primary: promote another active factor that may be primary (policy order picks
    // deterministically if there were ever several), or refuse.
    const replacement = policy.primaryTypes
      .map((type) => factors.find((f) => f.id !== factor.id && isActive(f) && f.type === type))
      .find((f) => f !== undefined);
    if (!replacement) return { violation: violation('primary_required') };
    changes.push({ id: replacement.id, role: 'primary' });
  }

  const after = factors.map((f) => {
    const change = changes.find((c) => c.id === f.id);
    return change ? { ...f, role: change.role } : f;
  });
  const lost = newlyMissing(policy, factors, after);
  return lost ? { violation: lost } : { changes };
}

/**
 * May this factor be removed? Customers must keep a primary (promote another first) and, when the
 * policy requires one, a secondary. With `enforce: false` (a staff member's support action) every
 * removal is allowed: the subject is asked to finish setup at the next sign-in instead.
 */
export function checkRemove(
  policy: FactorPolicy,
  factors: readonly FactorSnapshot[],
  factorId: string,
  { enforce }: { enforce: boolean },
): RuleViolation | null {
  const factor = findFactor(factors, factorId);
  if (!enforce || !isActive(factor)) return null;
  if (factor.role === 'primary') return violation('primary_required');
  return newlyMissing(
    policy,
    factors,
    factors.filter((f) => f.id !== factorId),
  );
}

function checkTypeAllowedAs(policy: FactorPolicy, type: FactorType, role: FactorRole): RuleViolation | null {
  // Named apart from the generic refusal, so the customer is told why email cannot be primary.
  if (type === EMAIL_FACTOR_TYPE && role === 'primary') return violation('email_not_allowed_as_primary');
  if (!typesAllowedAs(policy, role).includes(type)) return violation('factor_type_not_allowed');
  return null;
}

// The first requirement the change would newly break; one already unmet before does not block it.
function newlyMissing(
  policy: FactorPolicy,
  before: readonly FactorSnapshot[],
  after: readonly FactorSnapshot[],
): RuleViolation | null {
  const alreadyMissing = setupRequired(policy, before);
  const lost = setupRequired(policy, after).find((need) => !alreadyMissing.includes(need));
  return lost ? violation(lost === 'primary' ? 'primary_required' : 'secondary_required') : null;
}

function findFactor(factors: readonly FactorSnapshot[], factorId: string): FactorSnapshot {
  const factor = factors.find((f) => f.id === factorId);
  // The caller looks the factor up (and answers 404) before asking the rules.
  if (!factor) throw new Error(`Factor ${factorId} is not in the given factor set`);
  return factor;
}

function isActive(factor: FactorSnapshot): boolean {
  return factor.status === 'active';
}

function violation(code: RuleViolationCode): RuleViolation {
  return { code };
}
