import { TwoFactorError } from '../errors/two-factor.errors';
import type { FactorType } from '../policy/factor-policy';
import type { SecondFactor } from './second-factor';

/** Every factor type, by name. A new type is a folder implementing SecondFactor plus one line in the module. */
export class FactorRegistry {
  private readonly byType: Map<FactorType, SecondFactor>;

  constructor(factors: SecondFactor[]) {
    this.byType = new Map(factors.map((factor) => [factor.type, factor]));
  }

  get(type: FactorType): SecondFactor {
    const factor = this.byType.get(type);
    if (!factor) throw new TwoFactorError('factor_type_not_allowed');
    return factor;
  }

  types(): FactorType[] {
    return [...this.byType.keys()];
  }
}
