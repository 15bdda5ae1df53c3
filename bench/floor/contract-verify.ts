// The contract floor (the default): the least a verify must do to keep every duty the contract gives a
// second-factor answer, on bare pg, with nothing else (no framework, no validation library, no logging,
// no metrics, no sealing of notices, no signed audit checkpoints, no last-login or known-client records).
// - Read the challenge with its lock row and the chosen factor; for a recovery code also the customer's
//   email and how many codes are left (1 statement).
// - A right answer (1 statement): clear the account's failure count unless a lock is in force, complete
//   the challenge within its attempt budget, spend the TOTP step or the recovery code (once, whatever
//   runs at the same time), write the audit event, the notice's row (a recovery code was used), the
//   session and its refresh token. If nothing was spent the statement fails on purpose (division by zero)
//   and so undoes all of it; the answer is then counted as a failure.
// - A wrong answer (1 statement): count it on the challenge and the account unless either is already
//   spent or locked, lock the account at the threshold (doubling each lock, up to a day) with its audit
//   event and notice, and audit the attempt.
// - After commit, notices are sent (./notices.ts); the audit trail is hash-chained off the request path
//   (./audit.ts). Then an ES256 access token is signed.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { normaliseRecoveryCode } from '@app/twofactor';
import { createAuditTable, startAuditSealer } from './audit';
import { Answer, hasher, opaqueToken, pool, prepared, secrets, sha256, SESSION_MS, tokensFor, totp, VerifyBody } from './kit';
import { CREATE_NOTICES_TABLE, Notice, NoticeSender } from './notices';

// The contract's defaults: an mfaToken dies after 5 wrong codes; 10 in a row lock the account for 900 s, doubling, up to 24 h.
const TOKEN_BUDGET = 5;
const LOCK_THRESHOLD = 10;
const LOCK_SECONDS = 900;
const LOCK_MAX_SECONDS = 86_400;
const NOTHING_SPENT = '22012';

export async function prepareContractFloor(): Promise<NoticeSender> {
  await pool.query(CREATE_NOTICES_TABLE);
  await createAuditTable(pool);
  startAuditSealer(pool);
  return new NoticeSender(process.env.SMTP_URL!, pool);
}

// $1 challenge, $2 subject, $3 now, $4 audit id, $5 ip, $6 audit data, $7 session id, $8 auth time, $9 session expiry,
// $10 refresh-token hash, $11 method, $12 user agent, $13 TOTP step or recovery-code hash, then the factor id or the notice.
const SUCCESS_PREFIX = `
  WITH subject AS (
    INSERT INTO mfa_subject_locks AS l (realm, subject_id, failed_count, lock_count, locked_until) VALUES ('customer', $2, 0, 0, NULL)
    ON CONFLICT (realm, subject_id) DO UPDATE SET failed_count = 0, lock_count = 0, locked_until = NULL
    WHERE l.locked_until IS NULL OR l.locked_until <= $3
    RETURNING 1
  ), done AS (
    UPDATE mfa_challenges SET completed_at = $3
    WHERE id = $1 AND completed_at IS NULL AND expires_at > $3 AND failed_attempts < ${TOKEN_BUDGET} AND EXISTS (SELECT 1 FROM subject)
    RETURNING id
  )`;
const SUCCESS_SUFFIX = `,
  audit AS (INSERT INTO floor_audit_events (id, at, type, subject_id, ip, data) VALUES ($4, $3, 'mfa.succeeded', $2, $5, $6)),
  s AS (INSERT INTO sessions (id, realm, subject_id, scope, amr, method, auth_time, mfa_at, created_at, last_used_at, expires_at, ip, user_agent)
        VALUES ($7, 'customer', $2, 'session', '["pwd","mfa"]', $11, $8, $3, $3, $3, $9, $5, $12) RETURNING id),
  rt AS (INSERT INTO refresh_tokens (session_id, token_hash, created_at) SELECT id, $10, $3 FROM s)`;
const COMPLETE = `SELECT 1 / (SELECT count(*)::int FROM spent) AS completed`;

const SPEND_TOTP = `${SUCCESS_PREFIX}, spent AS (
    UPDATE mfa_factors SET last_used_step = $13, last_used_at = $3
    WHERE id = $14 AND status = 'active' AND (last_used_step IS NULL OR last_used_step < $13) AND EXISTS (SELECT 1 FROM done) RETURNING id
  )${SUCCESS_SUFFIX}
  ${COMPLETE}`;

const SPEND_RECOVERY_CODE = `${SUCCESS_PREFIX}, spent AS (
    UPDATE recovery_codes SET used_at = $3
    WHERE id = (SELECT id FROM recovery_codes WHERE realm = 'customer' AND subject_id = $2 AND code_hash = $13 AND used_at IS NULL AND revoked_at IS NULL LIMIT 1)
      AND used_at IS NULL AND revoked_at IS NULL AND EXISTS (SELECT 1 FROM done) RETURNING id
  )${SUCCESS_SUFFIX},
  notice AS (INSERT INTO floor_notices (id, recipient, subject, body, created_at) VALUES ($14, $15, $16, $17, $3))
  ${COMPLETE}`;

// $1 challenge, $2 subject, $3 now, $4 audit id, $5 ip, $6 audit data, $7 lock audit id, $8 lock notice id.
// Nothing is counted against a challenge already completed, expired or spent (a lost race), and an account
// locked since the read gets no further failures (the token's attempt still counts); every attempt is audited.
const COUNT_FAILURE = `
  WITH challenge AS (
    UPDATE mfa_challenges SET failed_attempts = failed_attempts + 1
    WHERE id = $1 AND completed_at IS NULL AND expires_at > $3 AND failed_attempts < ${TOKEN_BUDGET} RETURNING 1
  ), subject AS (
    INSERT INTO mfa_subject_locks AS l (realm, subject_id, failed_count, lock_count, locked_until)
    SELECT 'customer', $2::uuid, 1, 0, NULL::timestamptz WHERE EXISTS (SELECT 1 FROM challenge)
    ON CONFLICT (realm, subject_id) DO UPDATE SET
      failed_count = CASE WHEN l.failed_count + 1 >= ${LOCK_THRESHOLD} THEN 0 ELSE l.failed_count + 1 END,
      lock_count = CASE WHEN l.failed_count + 1 >= ${LOCK_THRESHOLD} THEN l.lock_count + 1 ELSE l.lock_count END,
      locked_until = CASE WHEN l.failed_count + 1 >= ${LOCK_THRESHOLD}
        THEN $3::timestamptz + make_interval(secs => LEAST(${LOCK_SECONDS} * power(2, l.lock_count), ${LOCK_MAX_SECONDS})) ELSE l.locked_until END
    WHERE l.locked_until IS NULL OR l.locked_until <= $3
    RETURNING coalesce(locked_until > $3, false) AS locked_now, locked_until
  ), attempt AS (
    INSERT INTO floor_audit_events (id, at, type, subject_id, ip, data) VALUES ($4, $3, 'mfa.failed', $2, $5, $6)
  ), lock_audit AS (
    INSERT INTO floor_audit_events (id, at, type, subject_id, ip, data)
    SELECT $7::uuid, $3, 'mfa.locked', $2, $5::text, jsonb_build_object('until', locked_until) FROM subject WHERE locked_now
  ), lock_notice AS (
    INSERT INTO floor_notices (id, recipient, subject, body, created_at)
    SELECT $8::uuid, c.email, 'Second-factor sign-in locked', 'Too many wrong codes: second-factor sign-in is locked until ' || s.locked_until || '.', $3
    FROM subject s JOIN customers c ON c.id = $2 WHERE s.locked_now
    RETURNING recipient, subject, body
  )
  SELECT EXISTS (SELECT 1 FROM challenge) AS counted, (SELECT locked_now FROM subject) AS locked_now,
         (SELECT row_to_json(n) FROM lock_notice n) AS lock_notice`;

interface Pending {
  id: string; subject_id: string; auth_time: Date; failed_attempts: number; locked_until: Date | null; email: string | null;
  factor_id: string | null; secret_sealed: string | null; last_used_step: string | null; codes_left: number | null;
}

export async function contractVerify(body: VerifyBody, req: IncomingMessage, notices: NoticeSender): Promise<Answer> {
  const now = new Date();
  const recovery = body.recoveryCode !== undefined;
  const method = recovery ? 'recovery_code' : 'totp';
  const ip = req.socket.remoteAddress ?? null;
  const { rows } = await prepared(
    'contract_verify_read',
    `SELECT c.id, c.subject_id, c.auth_time, c.failed_attempts, l.locked_until, f.id AS factor_id, f.secret_sealed, f.last_used_step,
            CASE WHEN $4::boolean THEN (SELECT email FROM customers WHERE id = c.subject_id) END AS email,
            CASE WHEN $4::boolean THEN (SELECT count(*)::int FROM recovery_codes r
              WHERE r.realm = 'customer' AND r.subject_id = c.subject_id AND r.used_at IS NULL AND r.revoked_at IS NULL) END AS codes_left
     FROM mfa_challenges c
       LEFT JOIN mfa_subject_locks l ON l.realm = 'customer' AND l.subject_id = c.subject_id
       LEFT JOIN mfa_factors f ON f.id = $2 AND f.subject_id = c.subject_id AND f.status = 'active'
     WHERE c.token_hash = $1 AND c.realm = 'customer' AND c.completed_at IS NULL AND c.expires_at > $3`,
    [sha256(body.mfaToken), body.factorId ?? null, now, recovery],
  );
  const pending = rows[0] as Pending | undefined;
  if (!pending || pending.failed_attempts >= TOKEN_BUDGET) return [401, { code: 'mfa_token_invalid' }];
  if (pending.locked_until && new Date(pending.locked_until) > now) return [423, { code: 'mfa_locked' }];

  const failed = async (): Promise<Answer> => {
    const lockNoticeId = randomUUID();
    const { rows: [outcome] } = await prepared('contract_count_failure', COUNT_FAILURE, [pending.id, pending.subject_id, now, randomUUID(), ip, { method }, randomUUID(), lockNoticeId]);
    if (outcome.lock_notice) notices.add({ id: lockNoticeId, ...outcome.lock_notice });
    if (!outcome.counted) return [401, { code: 'mfa_token_invalid' }];
    if (outcome.locked_now !== false) return [423, { code: 'mfa_locked' }]; // locked by this answer, or before it (null: nothing counted)
    return [401, { code: 'invalid_code' }];
  };

  const sessionId = randomUUID();
  const refreshToken = opaqueToken('rt');
  const common = [pending.id, pending.subject_id, now, randomUUID(), ip, { method }, sessionId, pending.auth_time,
    new Date(now.getTime() + SESSION_MS), sha256(refreshToken), method, req.headers['user-agent']?.slice(0, 256) ?? null];
  let statement: [string, string, unknown[]];
  let notice: Notice | null = null;
  if (recovery) {
    const canonical = normaliseRecoveryCode(body.recoveryCode!);
    if (!canonical) return failed();
    notice = {
      id: randomUUID(), recipient: pending.email!, subject: 'A recovery code was used to sign in',
      body: `A recovery code was used to sign in to your account at ${now.toISOString()}. ${pending.codes_left! - 1} codes are left. If this was not you, contact us.`,
    };
    statement = ['contract_spend_recovery', SPEND_RECOVERY_CODE,
      [...common, hasher.hash(canonical, `customer:${pending.subject_id}`), notice.id, notice.recipient, notice.subject, notice.body]];
  } else {
    if (!pending.factor_id || !pending.secret_sealed) return [404, { code: 'factor_not_found' }];
    const secret = secrets.open(pending.secret_sealed, pending.factor_id);
    const check = await totp.verify({ secret, token: String(body.code), at: now, afterTimeStep: pending.last_used_step === null ? undefined : Number(pending.last_used_step) });
    if (!check.valid) return failed();
    statement = ['contract_spend_totp', SPEND_TOTP, [...common, check.timeStep, pending.factor_id]];
  }
  try {
    await prepared(...statement);
  } catch (error) {
    if ((error as { code?: string }).code === NOTHING_SPENT) return failed();
    throw error;
  }
  if (notice) notices.add(notice);
  return tokensFor(pending.subject_id, sessionId, refreshToken);
}
