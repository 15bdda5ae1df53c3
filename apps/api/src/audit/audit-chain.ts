import { createHash } from 'node:crypto';

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
