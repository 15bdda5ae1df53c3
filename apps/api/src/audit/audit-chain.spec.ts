import { canonicalJson, chainHash, GENESIS_HASH } from './audit-chain';

const event = {
  id: '7d4d2f0e-2f39-4d6e-9a43-6f0f4c1b1a10', at: new Date('2026-01-01T00:00:00Z'), type: 'factor.removed',
  actorType: 'staff', actorId: null, actorEmail: 'agent@example.com', subjectType: 'customer', subjectId: null,
  ip: '127.0.0.1', reason: 'Lost phone, verified by callback', data: { b: 1, a: { d: [2, 1], c: null } },
};

describe('audit chain', () => {
  it('orders keys canonically at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });

  it('changes when any field or the previous hash changes', () => {
    const base = chainHash(GENESIS_HASH, event);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(GENESIS_HASH, { ...event, reason: 'Lost phone, verified by callback.' })).not.toBe(base);
    expect(chainHash(GENESIS_HASH, { ...event, data: { ...event.data, b: 2 } })).not.toBe(base);
    expect(chainHash('1'.repeat(64), event)).not.toBe(base);
    expect(chainHash(GENESIS_HASH, { ...event })).toBe(base);
  });
});
