import type { SecondFactor } from './second-factor';
import { FactorRegistry } from './factor-registry';

/** A factor kind's descriptor with no behaviour: the registry checks descriptors only. */
function kind(overrides: Partial<SecondFactor> = {}): SecondFactor {
  return {
    type: 'app', label: 'An app', amr: 'otp', sendsCodes: false, mayBePrimary: true, assurance: 'possession',
    enrol: jest.fn(), verify: jest.fn(), hint: () => 'An app',
    ...overrides,
  };
}

describe(FactorRegistry.name, () => {
  it('finds kinds by type, answers the amr of each way of passing, and refuses an unknown type with factor_type_not_allowed', () => {
    const registry = new FactorRegistry(() => [kind(), kind({ type: 'code_by_post', amr: 'mca' })]);
    expect(registry.types()).toEqual(['app', 'code_by_post']);
    expect(registry.has('app')).toBe(true);
    expect(registry.amrOf('code_by_post')).toBe('mca');
    expect(registry.amrOf('recovery_code')).toBe('kba');
    expect(() => registry.get('nope')).toThrow(expect.objectContaining({ code: 'factor_type_not_allowed' }));
  });

  it.each([
    ['a type name with capitals', kind({ type: 'App' }), /type "App" must match/],
    ['a type name too long for the column', kind({ type: 'a'.repeat(17) }), /at most 16 characters/],
    ['no label', kind({ label: '' }), /label must be a non-empty string/],
    ['no amr', kind({ amr: undefined as never }), /amr must be a non-empty string/],
    ['mayBePrimary left out', kind({ mayBePrimary: undefined as never }), /mayBePrimary must be true or false/],
    ['an unknown assurance', kind({ assurance: 'strong' as never }), /assurance must be/],
    ['codes to send but no send()', kind({ sendsCodes: true }), /sendsCodes is true but it has no send\(\)/],
  ])('refuses %s, naming it', (_name, factor, message) => {
    expect(() => new FactorRegistry([factor]).types()).toThrow(message);
  });

  it('refuses two kinds with one type', () => {
    expect(() => new FactorRegistry([kind(), kind()]).types()).toThrow(/Two factor kinds have the type "app"/);
  });
});
