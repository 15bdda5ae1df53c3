import { CUSTOMER_POLICY, STAFF_POLICY } from '../testing/policies';
import { FactorPolicy, FactorRole, FactorSnapshot, FactorType } from './factor-policy';
import { checkActivate, checkAdd, checkRemove, checkRoleChange, isSetupComplete, setupRequired } from './factor-rules';

// Factors are written `<type>:<role>[:pending]`, with the type as id (one factor per type is the rule).
function factor(spec: string): FactorSnapshot {
  const [type, role, status = 'active'] = spec.split(':');
  return { id: `${type}-${role}-${status}`, type, role, status } as FactorSnapshot;
}
const set = (...specs: string[]) => specs.map(factor);
const idOf = (spec: string) => factor(spec).id;

// Appends each row's expected outcome (its last element) to its title.
function titled<T extends [string, ...unknown[]]>(rows: T[]): T[] {
  return rows.map(([name, ...rest]) => [`${name} → ${rest[rest.length - 1] === null ? 'allowed' : JSON.stringify(rest[rest.length - 1])}`, ...rest] as T);
}

const RECOMMENDED_POLICY: FactorPolicy = { ...CUSTOMER_POLICY, secondaryRequired: false };

describe(setupRequired.name, () => {
  it.each(titled<[string, FactorPolicy, string[], string[]]>([
    ['customer without factors', CUSTOMER_POLICY, [], ['primary', 'secondary']],
    ['customer with a primary only', CUSTOMER_POLICY, ['totp:primary'], ['secondary']],
    ['customer with a secondary only', CUSTOMER_POLICY, ['email:secondary'], ['primary']],
    ['customer with both', CUSTOMER_POLICY, ['totp:primary', 'email:secondary'], []],
    ['customer with both, the secondary pending', CUSTOMER_POLICY, ['totp:primary', 'sms:secondary:pending'], ['secondary']],
    ['customer with both pending', CUSTOMER_POLICY, ['totp:primary:pending', 'sms:secondary:pending'], ['primary', 'secondary']],
    ['customer, secondary recommended, primary only', RECOMMENDED_POLICY, ['sms:primary'], []],
    ['customer, secondary recommended, no factors', RECOMMENDED_POLICY, [], ['primary']],
    ['staff without factors', STAFF_POLICY, [], ['primary']],
    ['staff with a pending primary', STAFF_POLICY, ['totp:primary:pending'], ['primary']],
    ['staff with a primary', STAFF_POLICY, ['totp:primary'], []],
  ]))('%s', (_name, policy, specs, expected) => {
    expect(setupRequired(policy, set(...specs))).toEqual(expected);
    expect(isSetupComplete(policy, set(...specs))).toBe(expected.length === 0);
  });
});

describe(checkAdd.name, () => {
  it.each(titled<[string, FactorPolicy, string[], FactorType, FactorRole, string | null]>([
    // allowed
    ['first customer primary (totp)', CUSTOMER_POLICY, [], 'totp', 'primary', null],
    ['first customer primary (sms)', CUSTOMER_POLICY, [], 'sms', 'primary', null],
    ['a secondary before any primary', CUSTOMER_POLICY, [], 'email', 'secondary', null],
    ['sms secondary beside a totp primary', CUSTOMER_POLICY, ['totp:primary'], 'sms', 'secondary', null],
    ['totp secondary beside an sms primary', CUSTOMER_POLICY, ['sms:primary'], 'totp', 'secondary', null],
    ['email secondary beside another secondary', CUSTOMER_POLICY, ['totp:primary', 'sms:secondary'], 'email', 'secondary', null],
    ['a type whose only factor is pending', CUSTOMER_POLICY, ['totp:primary:pending'], 'totp', 'primary', null],
    ['a primary while the other primary is pending', CUSTOMER_POLICY, ['totp:primary:pending'], 'sms', 'primary', null],
    ['first staff primary (totp)', STAFF_POLICY, [], 'totp', 'primary', null],
    // refused
    ['email as primary', CUSTOMER_POLICY, [], 'email', 'primary', 'email_not_allowed_as_primary'],
    ['email as primary, even with another email', CUSTOMER_POLICY, ['email:secondary'], 'email', 'primary', 'email_not_allowed_as_primary'],
    ['email as staff primary', STAFF_POLICY, [], 'email', 'primary', 'email_not_allowed_as_primary'],
    ['sms as staff primary', STAFF_POLICY, [], 'sms', 'primary', 'factor_type_not_allowed'],
    ['any staff secondary', STAFF_POLICY, ['totp:primary'], 'totp', 'secondary', 'factor_type_not_allowed'],
    ['a second primary of another type', CUSTOMER_POLICY, ['totp:primary'], 'sms', 'primary', 'primary_exists'],
    ['a second primary of the same type', CUSTOMER_POLICY, ['totp:primary'], 'totp', 'primary', 'primary_exists'],
    ['a second staff primary', STAFF_POLICY, ['totp:primary'], 'totp', 'primary', 'primary_exists'],
    ['a secondary of the primary’s type', CUSTOMER_POLICY, ['totp:primary'], 'totp', 'secondary', 'factor_exists'],
    ['a second secondary of one type', CUSTOMER_POLICY, ['sms:secondary'], 'sms', 'secondary', 'factor_exists'],
    ['a second email', CUSTOMER_POLICY, ['totp:primary', 'email:secondary'], 'email', 'secondary', 'factor_exists'],
  ]))('%s', (_name, policy, specs, type, role, expected) => {
    expect(checkAdd(policy, set(...specs), { type, role })).toEqual(expected ? { code: expected } : null);
  });
});

describe(checkActivate.name, () => {
  it.each(titled<[string, FactorPolicy, string[], string, string | null]>([
    ['the first primary', CUSTOMER_POLICY, ['totp:primary:pending'], 'totp:primary:pending', null],
    ['a secondary beside the primary', CUSTOMER_POLICY, ['totp:primary', 'sms:secondary:pending'], 'sms:secondary:pending', null],
    ['a secondary with no primary yet', CUSTOMER_POLICY, ['email:secondary:pending'], 'email:secondary:pending', null],
    ['one of two pending primaries', CUSTOMER_POLICY, ['totp:primary:pending', 'sms:primary:pending'], 'sms:primary:pending', null],
    ['a factor already active (no-op)', CUSTOMER_POLICY, ['totp:primary'], 'totp:primary', null],
    ['the staff primary', STAFF_POLICY, ['totp:primary:pending'], 'totp:primary:pending', null],
    // another request activated something meanwhile
    ['a primary after another primary was activated', CUSTOMER_POLICY, ['totp:primary', 'sms:primary:pending'], 'sms:primary:pending', 'primary_exists'],
    ['a second factor of a type activated meanwhile', CUSTOMER_POLICY, ['sms:primary', 'sms:secondary:pending'], 'sms:secondary:pending', 'factor_exists'],
    // the policy changed (or the row was written by hand) since the factor was added
    ['a pending email primary', CUSTOMER_POLICY, ['email:primary:pending'], 'email:primary:pending', 'email_not_allowed_as_primary'],
    ['a pending staff sms primary', STAFF_POLICY, ['sms:primary:pending'], 'sms:primary:pending', 'factor_type_not_allowed'],
  ]))('%s', (_name, policy, specs, target, expected) => {
    expect(checkActivate(policy, set(...specs), idOf(target))).toEqual(expected ? { code: expected } : null);
  });

  it('throws for a factor not in the set', () => {
    expect(() => checkActivate(CUSTOMER_POLICY, [], 'nope')).toThrow(/not in the given factor set/);
  });
});

describe(checkRoleChange.name, () => {
  const changes = (...pairs: Array<[string, FactorRole]>) => ({ changes: pairs.map(([spec, role]) => ({ id: idOf(spec), role })) });
  const refused = (code: string) => ({ violation: { code } });

  it.each<[string, FactorPolicy, string[], string, FactorRole, object]>([
    // swaps
    ['promoting the sms secondary swaps with the totp primary', CUSTOMER_POLICY, ['totp:primary', 'sms:secondary'], 'sms:secondary', 'primary', changes(['sms:secondary', 'primary'], ['totp:primary', 'secondary'])],
    ['promoting the totp secondary swaps with the sms primary', CUSTOMER_POLICY, ['sms:primary', 'totp:secondary', 'email:secondary'], 'totp:secondary', 'primary', changes(['totp:secondary', 'primary'], ['sms:primary', 'secondary'])],
    ['demoting the primary promotes the secondary that may be primary', CUSTOMER_POLICY, ['totp:primary', 'email:secondary', 'sms:secondary'], 'totp:primary', 'secondary', changes(['totp:primary', 'secondary'], ['sms:secondary', 'primary'])],
    ['a swap when a secondary is only recommended', RECOMMENDED_POLICY, ['totp:primary', 'sms:secondary'], 'sms:secondary', 'primary', changes(['sms:secondary', 'primary'], ['totp:primary', 'secondary'])],
    // no-ops and pending factors
    ['the role it already has', CUSTOMER_POLICY, ['totp:primary', 'sms:secondary'], 'totp:primary', 'primary', changes()],
    ['a pending secondary becoming primary beside an active primary', CUSTOMER_POLICY, ['totp:primary', 'sms:secondary:pending'], 'sms:secondary:pending', 'primary', changes(['sms:secondary:pending', 'primary'])],
    ['a pending primary becoming secondary', CUSTOMER_POLICY, ['totp:primary:pending'], 'totp:primary:pending', 'secondary', changes(['totp:primary:pending', 'secondary'])],
    // refused
    ['email promoted to primary', CUSTOMER_POLICY, ['totp:primary', 'email:secondary'], 'email:secondary', 'primary', refused('email_not_allowed_as_primary')],
    ['a pending email promoted to primary', CUSTOMER_POLICY, ['email:secondary:pending'], 'email:secondary:pending', 'primary', refused('email_not_allowed_as_primary')],
    ['demoting the only factor', CUSTOMER_POLICY, ['totp:primary'], 'totp:primary', 'secondary', refused('primary_required')],
    ['demoting the primary when the only secondary is email', CUSTOMER_POLICY, ['sms:primary', 'email:secondary'], 'sms:primary', 'secondary', refused('primary_required')],
    ['demoting the staff primary (no staff secondaries)', STAFF_POLICY, ['totp:primary'], 'totp:primary', 'secondary', refused('factor_type_not_allowed')],
    ['promoting the only secondary when there is no primary', CUSTOMER_POLICY, ['sms:secondary'], 'sms:secondary', 'primary', refused('secondary_required')],
  ])('%s', (_name, policy, specs, target, newRole, expected) => {
    expect(checkRoleChange(policy, set(...specs), idOf(target), newRole)).toEqual(expected);
  });

  it('promotes the only secondary when no secondary is required', () => {
    expect(checkRoleChange(RECOMMENDED_POLICY, set('sms:secondary'), idOf('sms:secondary'), 'primary')).toEqual(changes(['sms:secondary', 'primary']));
  });

  it('refuses a swap that would put a type in a role the policy forbids', () => {
    // A policy where sms may be primary but not secondary.
    const policy: FactorPolicy = { ...CUSTOMER_POLICY, secondaryTypes: ['totp', 'email'] };
    expect(checkRoleChange(policy, set('sms:primary', 'totp:secondary'), idOf('totp:secondary'), 'primary')).toEqual(refused('factor_type_not_allowed'));
  });

  it('keeps exactly one active primary after every allowed change', () => {
    const factors = set('totp:primary', 'sms:secondary', 'email:secondary');
    for (const target of factors) {
      for (const role of ['primary', 'secondary'] as const) {
        const result = checkRoleChange(CUSTOMER_POLICY, factors, target.id, role);
        if ('violation' in result) continue;
        const after = factors.map((f) => ({ ...f, role: result.changes.find((c) => c.id === f.id)?.role ?? f.role }));
        expect(after.filter((f) => f.role === 'primary')).toHaveLength(1);
        expect(setupRequired(CUSTOMER_POLICY, after)).toEqual([]);
      }
    }
  });

  it('throws for a factor not in the set', () => {
    expect(() => checkRoleChange(CUSTOMER_POLICY, [], 'nope', 'primary')).toThrow(/not in the given factor set/);
  });
});

describe(checkRemove.name, () => {
  it.each(titled<[string, FactorPolicy, string[], string, boolean, string | null]>([
    // allowed
    ['one of two secondaries', CUSTOMER_POLICY, ['totp:primary', 'sms:secondary', 'email:secondary'], 'email:secondary', true, null],
    ['the last secondary when it is only recommended', RECOMMENDED_POLICY, ['totp:primary', 'sms:secondary'], 'sms:secondary', true, null],
    ['a pending factor', CUSTOMER_POLICY, ['totp:primary', 'sms:secondary', 'email:secondary:pending'], 'email:secondary:pending', true, null],
    ['a pending primary', CUSTOMER_POLICY, ['totp:primary:pending'], 'totp:primary:pending', true, null],
    ['one of two secondaries when there is no primary', CUSTOMER_POLICY, ['sms:secondary', 'email:secondary'], 'sms:secondary', true, null],
    // refused for the customer
    ['the primary', CUSTOMER_POLICY, ['totp:primary', 'sms:secondary'], 'totp:primary', true, 'primary_required'],
    ['the primary when a secondary is only recommended', RECOMMENDED_POLICY, ['totp:primary'], 'totp:primary', true, 'primary_required'],
    ['the staff member’s own primary', STAFF_POLICY, ['totp:primary'], 'totp:primary', true, 'primary_required'],
    ['the last secondary', CUSTOMER_POLICY, ['totp:primary', 'sms:secondary'], 'sms:secondary', true, 'secondary_required'],
    ['the last active secondary beside a pending one', CUSTOMER_POLICY, ['totp:primary', 'sms:secondary', 'email:secondary:pending'], 'sms:secondary', true, 'secondary_required'],
    ['the last secondary when there is no primary', CUSTOMER_POLICY, ['sms:secondary'], 'sms:secondary', true, 'secondary_required'],
    // staff support actions are never refused
    ['the primary, by staff', CUSTOMER_POLICY, ['totp:primary', 'sms:secondary'], 'totp:primary', false, null],
    ['the last secondary, by staff', CUSTOMER_POLICY, ['totp:primary', 'sms:secondary'], 'sms:secondary', false, null],
    ['the only factor, by staff', CUSTOMER_POLICY, ['totp:primary'], 'totp:primary', false, null],
  ]))('%s', (_name, policy, specs, target, enforce, expected) => {
    expect(checkRemove(policy, set(...specs), idOf(target), { enforce })).toEqual(expected ? { code: expected } : null);
  });

  it('throws for a factor not in the set', () => {
    expect(() => checkRemove(CUSTOMER_POLICY, [], 'nope', { enforce: true })).toThrow(/not in the given factor set/);
  });
});
