import type { ChainedContent } from './audit-chain';

/** The columns an event's hash covers, in the order the chain reads them. */
export const CHAINED_COLUMNS = `id, at, type, actor_type, actor_id, actor_email, subject_type, subject_id, ip, reason, data`;

export interface AuditRow {
  id: string;
  at: Date;
  type: string;
  actor_type: string;
  actor_id: string | null;
  actor_email: string | null;
  subject_type: string;
  subject_id: string | null;
  ip: string | null;
  reason: string | null;
  data: Record<string, unknown>;
}

/** What the database gave back, as the chain hashes it: sealer and verifier hash the same stored values. */
export function chainedContent(row: AuditRow): ChainedContent {
  return {
    id: row.id, at: new Date(row.at), type: row.type, actorType: row.actor_type, actorId: row.actor_id, actorEmail: row.actor_email,
    subjectType: row.subject_type, subjectId: row.subject_id, ip: row.ip, reason: row.reason, data: row.data,
  };
}
