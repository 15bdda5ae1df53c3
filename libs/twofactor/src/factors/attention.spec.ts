import { attentionFor } from './attention';
import type { FactorSummary } from './factor-summary';

const NOW = new Date('2026-11-30T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 24 * 3600_000);

function factor(overrides: Partial<FactorSummary>): FactorSummary {
  return {
    id: 'f', type: 'email', role: 'secondary', status: 'active', hint: 'j•••@example.com',
    createdAt: daysAgo(400), verifiedAt: daysAgo(400), lastUsedAt: daysAgo(1),
    health: { status: 'ok', lastDeliveryStatus: null, lastDeliveryAt: null, failuresInRow: 0 }, ...overrides,
  };
}

describe(attentionFor.name, () => {
  it('names a failing channel, whatever its role', () => {
    const failing = { status: 'failing' as const, lastDeliveryStatus: 'undelivered', lastDeliveryAt: NOW, failuresInRow: 3 };
    expect(attentionFor([factor({ id: 'a', role: 'primary', type: 'sms', health: failing })], NOW)).toEqual([{ factorId: 'a', reason: 'delivery_failing' }]);
  });

  it('names a secondary unused for longer than the stale period, not a primary', () => {
    const factors = [
      factor({ id: 'p', role: 'primary', type: 'totp', health: undefined, lastUsedAt: daysAgo(300) }),
      factor({ id: 's', lastUsedAt: daysAgo(181) }),
      factor({ id: 'fresh', type: 'sms', lastUsedAt: daysAgo(179) }),
    ];
    expect(attentionFor(factors, NOW, 180)).toEqual([{ factorId: 's', reason: 'not_used_recently' }]);
  });

  it('falls back to the verification time for a factor never used, and skips pending factors', () => {
    expect(attentionFor([factor({ id: 'n', lastUsedAt: null, verifiedAt: daysAgo(10) })], NOW, 7)).toEqual([{ factorId: 'n', reason: 'not_used_recently' }]);
    expect(attentionFor([factor({ status: 'pending', lastUsedAt: null })], NOW, 7)).toEqual([]);
  });
});
