import type { ChannelHealthStatus, FactorEntity } from '../persistence/factor.entity';
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
  /** SMS and email only: whether messages to this channel arrive. */
  health?: ChannelHealth;
}

export interface ChannelHealth {
  status: ChannelHealthStatus;
  lastDeliveryStatus: string | null;
  lastDeliveryAt: Date | null;
  failuresInRow: number;
}

export function summarise(factor: FactorEntity, registry: FactorRegistry): FactorSummary {
  const summary: FactorSummary = {
    id: factor.id,
    type: factor.type,
    role: factor.role,
    status: factor.status,
    hint: registry.get(factor.type).hint(factor),
    createdAt: factor.createdAt,
    verifiedAt: factor.verifiedAt,
    lastUsedAt: factor.lastUsedAt,
  };
  if (registry.get(factor.type).sendsCodes) {
    summary.health = {
      status: factor.healthStatus ?? 'ok',
      lastDeliveryStatus: factor.lastDeliveryStatus ?? null,
      lastDeliveryAt: factor.lastDeliveryAt ?? null,
      failuresInRow: factor.deliveryFailuresInRow ?? 0,
    };
  }
  return summary;
}

/** Primary first, then secondaries, oldest first: the order people read their setup in. */
export function byRoleThenAge(a: FactorEntity, b: FactorEntity): number {
  if (a.role !== b.role) return a.role === 'primary' ? -1 : 1;
  return a.createdAt.getTime() - b.createdAt.getTime();
}
