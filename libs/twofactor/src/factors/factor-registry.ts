import { TwoFactorError } from '../errors/two-factor.errors';
import type { FactorType } from '../policy/factor-policy';
import type { SecondFactor } from './second-factor';

/** The rule for a type name: it is stored in mfa_factors.type (varchar 16) and appears in URLs and JSON keys. */
const TYPE_NAME = /^[a-z][a-z0-9_]*$/;
const TYPE_NAME_MAX = 16;

/**
 * Every factor type, by name: the one place the library and the app learn which types exist. The
 * factors are given as a list (hand-wired tests) or as a source read on first use, because Nest
 * discovers `@FactorKind()` providers only once every provider has been created.
 */
export class FactorRegistry {
  private byType?: Map<FactorType, SecondFactor>;

  constructor(private readonly source: readonly SecondFactor[] | (() => readonly SecondFactor[])) {}

  get(type: FactorType): SecondFactor {
    const factor = this.all().get(type);
    if (!factor) throw new TwoFactorError('factor_type_not_allowed');
    return factor;
  }

  has(type: FactorType): boolean {
    return this.all().has(type);
  }

  types(): FactorType[] {
    return [...this.all().keys()];
  }

  /** The RFC 8176 `amr` value for how a second factor was passed: the factor's own, or `kba` for a recovery code (something known). */
  amrOf(method: FactorType | 'recovery_code'): string {
    return method === 'recovery_code' ? 'kba' : this.get(method).amr;
  }

  private all(): Map<FactorType, SecondFactor> {
    if (!this.byType) {
      const factors = typeof this.source === 'function' ? this.source() : this.source;
      this.byType = new Map();
      for (const factor of factors) {
        checkFactor(factor);
        if (this.byType.has(factor.type)) throw new Error(`Two factor kinds have the type "${factor.type}": each type name must be registered once`);
        this.byType.set(factor.type, factor);
      }
    }
    return this.byType;
  }
}

/** The checks a factor kind must pass to be registered; throws an Error naming what is wrong. */
export function checkFactor(factor: SecondFactor): void {
  const name = factor?.constructor?.name ?? 'factor';
  if (typeof factor.type !== 'string' || factor.type.length > TYPE_NAME_MAX || !TYPE_NAME.test(factor.type)) {
    throw new Error(`${name}: type "${String(factor.type)}" must match ${TYPE_NAME} and be at most ${TYPE_NAME_MAX} characters`);
  }
  for (const field of ['label', 'amr'] as const) {
    if (typeof factor[field] !== 'string' || !factor[field]) throw new Error(`${name} (${factor.type}): ${field} must be a non-empty string`);
  }
  for (const field of ['sendsCodes', 'mayBePrimary'] as const) {
    if (typeof factor[field] !== 'boolean') throw new Error(`${name} (${factor.type}): ${field} must be true or false`);
  }
  if (factor.assurance !== 'possession' && factor.assurance !== 'phishing_resistant') {
    throw new Error(`${name} (${factor.type}): assurance must be 'possession' or 'phishing_resistant'`);
  }
  if (factor.sendsCodes && typeof factor.send !== 'function') throw new Error(`${name} (${factor.type}): sendsCodes is true but it has no send()`);
}
