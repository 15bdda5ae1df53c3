import type { Realm } from '../guards/principal';
import { FactorEntity } from '../persistence/factor.entity';
import { asCtes, SqlStatement } from '../persistence/sql';

/**
 * The sign-in's common case, a right answer, in two statements and no transaction: one read of
 * everything verify needs, one write that spends the answer and does everything a success does. The
 * write takes no lock up front; each of its steps is an UPDATE whose condition PostgreSQL re-checks on
 * the row's newest version once it holds that row, in a fixed order (the subject's lock row, then the
 * challenge, then the factor or recovery code), so it decides exactly as the locked path would. The
 * success's other writes (audit rows, a notice's outbox row, the caller's session) are CTEs of the same
 * statement. A write that spent nothing fails on purpose (NOTHING_SPENT), so the statement, run on its
 * own, undoes all of it; the caller then takes the locked path, which counts the failure.
 */

export interface PendingSignIn {
  id: string;
  realm: Realm;
  subjectId: string;
  purpose: 'login' | 'step_up';
  sessionId: string | null;
  authTime: Date;
  expiresAt: Date;
  failedAttempts: number;
  lockedUntil: Date | null;
  /** The subject's active factors. */
  factors: FactorEntity[];
  /** Unused recovery codes before this answer (only read for a recovery-code answer). */
  recoveryRemaining: number | null;
  /** Where the subject's notices go, when the read was asked for it (undefined if not). */
  noticeAddress: string | null | undefined;
}

/**
 * $1 token hash, $2 realm, $3 whether to count recovery codes. `noticeAddressSql` (the events adapter's
 * subquery over `c.subject_id`) also reads the subject's notice address, for a success that is told.
 */
export function readPendingSignIn(noticeAddressSql?: string): string {
  return `
  SELECT c.id, c.realm, c.subject_id, c.purpose, c.session_id, c.auth_time, c.expires_at, c.failed_attempts, l.locked_until,
         (SELECT coalesce(json_agg(f), '[]') FROM mfa_factors f WHERE f.realm = c.realm AND f.subject_id = c.subject_id AND f.status = 'active') AS factors,
         CASE WHEN $3::boolean THEN (SELECT count(*)::int FROM recovery_codes r
           WHERE r.realm = c.realm AND r.subject_id = c.subject_id AND r.used_at IS NULL AND r.revoked_at IS NULL) END AS recovery_remaining
         ${noticeAddressSql ? `, ${noticeAddressSql} AS notice_address` : ''}
  FROM mfa_challenges c LEFT JOIN mfa_subject_locks l ON l.realm = c.realm AND l.subject_id = c.subject_id
  WHERE c.token_hash = $1 AND c.realm = $2 AND c.completed_at IS NULL`;
}

export interface PendingRow {
  id: string; realm: Realm; subject_id: string; purpose: 'login' | 'step_up'; session_id: string | null; auth_time: Date; expires_at: Date;
  failed_attempts: number; locked_until: Date | null; factors: Record<string, unknown>[]; recovery_remaining: number | null; notice_address?: string | null;
}

export function pendingSignIn(row: PendingRow): PendingSignIn {
  return {
    id: row.id, realm: row.realm, subjectId: row.subject_id, purpose: row.purpose, sessionId: row.session_id,
    authTime: new Date(row.auth_time), expiresAt: new Date(row.expires_at), failedAttempts: row.failed_attempts,
    lockedUntil: row.locked_until ? new Date(row.locked_until) : null, factors: row.factors.map(factorFromJson), recoveryRemaining: row.recovery_remaining,
    noticeAddress: 'notice_address' in row ? (row.notice_address ?? null) : undefined,
  };
}

/** A factor row as json_agg gives it (snake_case, timestamps as text). */
function factorFromJson(json: Record<string, unknown>): FactorEntity {
  const date = (value: unknown) => (value ? new Date(value as string) : null);
  return Object.assign(new FactorEntity(), {
    id: json.id, realm: json.realm, subjectId: json.subject_id, type: json.type, role: json.role, status: json.status,
    secretSealed: json.secret_sealed ?? null, destination: json.destination ?? null,
    lastUsedStep: json.last_used_step === null || json.last_used_step === undefined ? null : Number(json.last_used_step),
    createdAt: date(json.created_at)!, verifiedAt: date(json.verified_at), lastUsedAt: date(json.last_used_at),
  });
}

// $1 realm, $2 subject, $3 challenge id, $4 now, $5 the token's failure budget, $6 factor id or the code's hashes (one per key), $7 TOTP step.
// The subject's row goes first: a success clears the failure count only if no lock is in force at that moment.
const SUBJECT_AND_CHALLENGE = `
  WITH subject AS (
    INSERT INTO mfa_subject_locks AS l (realm, subject_id, failed_count, lock_count, locked_until) VALUES ($1, $2, 0, 0, NULL)
    ON CONFLICT (realm, subject_id) DO UPDATE SET failed_count = 0, lock_count = 0, locked_until = NULL
    WHERE l.locked_until IS NULL OR l.locked_until <= $4
    RETURNING 1
  ), done AS (
    UPDATE mfa_challenges SET completed_at = $4
    WHERE id = $3 AND completed_at IS NULL AND expires_at > $4 AND failed_attempts < $5 AND EXISTS (SELECT 1 FROM subject)
    RETURNING id
  )`;

export const COMPLETE_WITH_TOTP_STEP = `${SUBJECT_AND_CHALLENGE}, spent AS (
    UPDATE mfa_factors SET last_used_step = $7, last_used_at = $4
    WHERE id = $6 AND status = 'active' AND (last_used_step IS NULL OR last_used_step < $7) AND EXISTS (SELECT 1 FROM done)
    RETURNING id
  )`;

export const COMPLETE_WITH_RECOVERY_CODE = `${SUBJECT_AND_CHALLENGE}, spent AS (
    UPDATE recovery_codes SET used_at = $4
    WHERE id = (SELECT id FROM recovery_codes WHERE realm = $1 AND subject_id = $2 AND code_hash = ANY($6::bpchar[]) AND used_at IS NULL AND revoked_at IS NULL LIMIT 1)
      AND used_at IS NULL AND revoked_at IS NULL AND EXISTS (SELECT 1 FROM done)
    RETURNING id
  )`;

/**
 * SQLSTATE of the one write when it spent nothing (a race lost, a lock in force, a step already used).
 * The statement divides by the number of rows spent: plain SQL has no RAISE, and an error is the only
 * way a single statement undoes its own data-modifying CTEs without a transaction around it.
 */
export const NOTHING_SPENT = '22012';

/** One of the COMPLETE_WITH_* writes with the success's own statements folded in; it fails with NOTHING_SPENT unless it spent the answer. */
export function completeStatement(write: string, params: unknown[], alongside: SqlStatement[]): SqlStatement {
  const folded = asCtes(alongside, params.length, 'recorded');
  return {
    sql: `${write}${folded.ctes.map((cte) => `, ${cte}`).join('')}\n  SELECT 1 / (SELECT count(*)::int FROM spent) AS completed`,
    params: [...params, ...folded.params],
  };
}

/** Whether an error is the one write refusing because it spent nothing. */
export function spentNothing(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: unknown } } | null)?.driverError ?? error;
  return (driverError as { code?: unknown } | null)?.code === NOTHING_SPENT;
}
