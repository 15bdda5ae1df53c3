import type { FactorSummary } from './factor-summary';

export type AttentionReason = 'delivery_failing' | 'not_used_recently';

/** A factor the subject should look at before they need it. */
export interface Attention {
  factorId: string;
  reason: AttentionReason;
}

export const DEFAULT_STALE_FACTOR_DAYS = 180;
const DAY_MS = 24 * 3600_000;

/**
 * The active factors that may fail the subject when they need them: a channel whose messages stop
 * arriving, or a secondary nobody has used for `staleDays` (a number changed, an app deleted). Told at
 * sign-in, while the subject still has a working factor to fix it with.
 */
export function attentionFor(factors: FactorSummary[], now: Date, staleDays: number = DEFAULT_STALE_FACTOR_DAYS): Attention[] {
  const staleBefore = now.getTime() - staleDays * DAY_MS;
  const out: Attention[] = [];
  for (const factor of factors) {
    if (factor.status !== 'active') continue;
    if (factor.health?.status === 'failing') {
      out.push({ factorId: factor.id, reason: 'delivery_failing' });
      continue;
    }
    const lastUsed = factor.lastUsedAt ?? factor.verifiedAt ?? factor.createdAt;
    if (factor.role === 'secondary' && lastUsed.getTime() < staleBefore) out.push({ factorId: factor.id, reason: 'not_used_recently' });
  }
  return out;
}
