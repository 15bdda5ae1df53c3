import { createHash, KeyObject, sign, verify } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedContent {
  id: string;
  at: Date;
  type: string;
  actorType: string;
  actorId: string | null;
  actorEmail: string | null;
  subjectType: string;
  subjectId: string | null;
  ip: string | null;
  reason: string | null;
  data: Record<string, unknown>;
}

/** JSON with keys sorted at every depth, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value instanceof Date ? value.toISOString() : value ?? null);
}

/** SHA-256 over the previous event's hash and this event's canonical content. */
export function chainHash(prevHash: string, content: ChainedContent): string {
  const { id, at, type, actorType, actorId, actorEmail, subjectType, subjectId, ip, reason, data } = content;
  const canonical = canonicalJson({ id, at: at.toISOString(), type, actorType, actorId, actorEmail, subjectType, subjectId, ip, reason, data });
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

export interface CheckpointContent {
  chainPos: string;
  headHash: string;
  eventCount: string;
  at: Date;
}

// Domain separation: the access-token key also signs checkpoints, so what it signs here can never
// parse as a JWT (and a JWT can never pass as a checkpoint).
const CHECKPOINT_PREFIX = 'twofold-audit-checkpoint-v1';

/** The exact bytes a checkpoint signature covers. */
export function checkpointPayload(checkpoint: CheckpointContent): Buffer {
  const { chainPos, headHash, eventCount, at } = checkpoint;
  return Buffer.from([CHECKPOINT_PREFIX, chainPos, headHash, eventCount, at.toISOString()].join('\n'), 'utf8');
}

/** ES256 (P-256, SHA-256) over the payload, raw r||s, base64url: verifiable with the public JWKS key. */
export function signCheckpoint(checkpoint: CheckpointContent, privateKey: KeyObject): string {
  return sign('sha256', checkpointPayload(checkpoint), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
}

export function checkpointSignatureHolds(checkpoint: CheckpointContent, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify('sha256', checkpointPayload(checkpoint), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}
