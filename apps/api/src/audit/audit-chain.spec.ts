import { generateKeyPairSync } from 'node:crypto';
import { canonicalJson, chainHash, checkpointSignatureHolds, GENESIS_HASH, signCheckpoint } from './audit-chain';

const event = {
  id: '7d4d2f0e-2f39-4d6e-9a43-6f0f4c1b1a10', at: new Date('2026-01-01T00:00:00Z'), type: 'factor.removed',
  actorType: 'staff', actorId: null, actorEmail: 'agent@example.com', subjectType: 'customer', subjectId: null,
  ip: '127.0.0.1', reason: 'Lost phone, verified by callback', data: { b: 1, a: { d: [2, 1], c: null } },
};

describe('audit chain', () => {
  it('orders keys canonically at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });

  it('hashes a fixed event to a known SHA-256, so any change to the scheme is caught', () => {
    // Computed independently: printf '%s\n%s' <64 zeros> '<canonical JSON>' | sha256sum
    expect(chainHash(GENESIS_HASH, event)).toBe('11989c80b84b8618272ab91e112bb02b0567914132d84ff379843aab30cb9a9a');
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

describe('audit checkpoints', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const checkpoint = { chainPos: '42', headHash: 'a'.repeat(64), eventCount: '42', at: new Date('2026-01-01T00:00:00Z') };

  it('holds for what was signed, and for nothing else', () => {
    const signature = signCheckpoint(checkpoint, privateKey);
    expect(checkpointSignatureHolds(checkpoint, signature, publicKey)).toBe(true);
    expect(checkpointSignatureHolds({ ...checkpoint, chainPos: '41' }, signature, publicKey)).toBe(false);
    expect(checkpointSignatureHolds({ ...checkpoint, headHash: 'b'.repeat(64) }, signature, publicKey)).toBe(false);
    expect(checkpointSignatureHolds({ ...checkpoint, eventCount: '41' }, signature, publicKey)).toBe(false);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(checkpointSignatureHolds(checkpoint, signature, other.publicKey)).toBe(false);
    expect(checkpointSignatureHolds(checkpoint, 'not a signature', publicKey)).toBe(false);
  });
});
