import type { FactorEntity } from '../persistence/factor.entity';
import type { FactorRole, FactorStatus, FactorType } from '../policy/factor-policy';
import type { FactorRegistry } from './factor-registry';

/** A factor as anyone entitled to see the account may see it: masked, never a secret. */
export interface FactorSummary {
  id: string;
  type: FactorType;
  role: FactorRole;
  status: FactorStatus;
  hint: string;
  createdAt: Date;
  verifiedAt: Date | null;
  lastUsedAt: Date | null;
}

export function summarise(factor: FactorEntity, registry: FactorRegistry): FactorSummary {
  return {
    id: factor.id,
    type: factor.type,
    role: factor.role,
    status: factor.status,
    hint: registry.get(factor.type).hint(factor),
    createdAt: factor.createdAt,
    verifiedAt: factor.verifiedAt,
    lastUsedAt: factor.lastUsedAt,
  };
}

/** Primary first, then secondaries, oldest first: the order people read their setup in. */
export function byRoleThenAge(a: FactorEntity, b: FactorEntity): number {
  if (a.role !== b.role) return a.role === 'primary' ? -1 : 1;
  return a.createdAt.getTime() - b.createdAt.getTime();
}
