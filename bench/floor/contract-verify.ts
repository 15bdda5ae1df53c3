// The contract floor (the default): the least a verify must do to keep every duty the contract gives a
// second-factor answer, on bare pg, with nothing else (no framework, no validation library, no logging,
// no metrics, no audit hash chain, no sealing of notices, no last-login or known-client records).
// - Read the challenge with its lock row, the chosen factor, the customer's email and, for a recovery
//   code, how many codes are left (1 statement).
// - A right answer (1 statement): clear the account's failure count unless a lock is in force, complete
//   the challenge within its attempt budget, spend the TOTP step or the recovery code (once, whatever
//   runs at the same time), write the audit event, the notice's row (a recovery code was used), the
//   session and its refresh token. If nothing was spent the statement fails on purpose (division by zero)
//   and so undoes all of it; the answer is then counted as a failure.
// - A wrong answer (1 statement): count it on the challenge and the account (locking it at the
//   threshold) and audit it.
// - After commit, the notice is sent (./notices.ts). Then an ES256 access token is signed.
import { randomUUID } from 'node:crypto';
import { normaliseRecoveryCode } from '@app/twofactor';
import { Answer, hasher, opaqueToken, pool, prepared, secrets, sha256, SESSION_MS, tokensFor, totp, VerifyBody } from './kit';
import { CREATE_NOTICES_TABLE, NoticeSender } from './notices';

const BUDGET = 5;
const LOCK_SECONDS = 900;
const NOTHING_SPENT = '22012';

export async function prepareContractFloor(): Promise<NoticeSender> {
  await pool.query(CREATE_NOTICES_TABLE);
  await pool.query(`CREATE TABLE IF NOT EXISTS floor_audit_events (
    id uuid PRIMARY KEY, at timestamptz NOT NULL, type text NOT NULL, subject_id uuid NOT NULL, ip text, data jsonb NOT NULL)`);
  return new NoticeSender(process.env.SMTP_URL!, pool);
}

// $1 challenge, $2 subject, $3 now, $4 audit id, $5 ip, $6 audit data, $7 session id, $8 auth time, $9 session expiry,
// $10 refresh-token hash, $11 method, $12 TOTP step or recovery-code hash, $13.. the notice (id, recipient, body) or nulls.
const SUCCESS_PREFIX = `
  WITH subject AS (
    INSERT INTO mfa_subject_locks AS l (realm, subject_id, failed_count, lock_count, locked_until) VALUES ('customer', $2, 0, 0, NULL)
    ON CONFLICT (realm, subject_id) DO UPDATE SET failed_count = 0, lock_count = 0, locked_until = NULL
    WHERE l.locked_until IS NULL OR l.locked_until <= $3
    RETURNING 1
  ), done AS (
    UPDATE mfa_challenges SET completed_at = $3
    WHERE id = $1 AND completed_at IS NULL AND expires_at > $3 AND failed_attempts < ${BUDGET} AND EXISTS (SELECT 1 FROM subject)
    RETURNING id
  )`;
const SUCCESS_SUFFIX = `,
  audit AS (INSERT INTO floor_audit_events (id, at, type, subject_id, ip, data) VALUES ($4, $3, 'mfa.succeeded', $2, $5, $6)),
  s AS (INSERT INTO sessions (id, realm, subject_id, scope, amr, method, auth_time, mfa_at, created_at, last_used_at, expires_at)
        VALUES ($7, 'customer', $2, 'session', '["pwd","mfa"]', $11, $8, $3, $3, $3, $9) RETURNING id),
  rt AS (INSERT INTO refresh_tokens (session_id, token_hash, created_at) SELECT id, $10, $3 FROM s)`;
const COMPLETE = `SELECT 1 / (SELECT count(*)::int FROM spent) AS completed`;

const SPEND_TOTP = `${SUCCESS_PREFIX}, spent AS (
    UPDATE mfa_factors SET last_used_step = $12, last_used_at = $3
    WHERE id = $13 AND status = 'active' AND (last_used_step IS NULL OR last_used_step < $12) AND EXISTS (SELECT 1 FROM done) RETURNING id
  )${SUCCESS_SUFFIX}
  ${COMPLETE}`;

const SPEND_RECOVERY_CODE = `${SUCCESS_PREFIX}, spent AS (
    UPDATE recovery_codes SET used_at = $3
    WHERE id = (SELECT id FROM recovery_codes WHERE realm = 'customer' AND subject_id = $2 AND code_hash = $12 AND used_at IS NULL AND revoked_at IS NULL LIMIT 1)
      AND used_at IS NULL AND revoked_at IS NULL AND EXISTS (SELECT 1 FROM done) RETURNING id
  )${SUCCESS_SUFFIX},
  notice AS (INSERT INTO floor_notices (id, recipient, subject, body, created_at) VALUES ($13, $14, 'A recovery code was used to sign in', $15, $3))
  ${COMPLETE}`;

// $1 challenge, $2 subject, $3 now, $4 audit id, $5 ip, $6 audit data.
const COUNT_FAILURE = `
  WITH challenge AS (UPDATE mfa_challenges SET failed_attempts = failed_attempts + 1 WHERE id = $1),
  subject AS (
    INSERT INTO mfa_subject_locks AS l (realm, subject_id, failed_count, lock_count, locked_until) VALUES ('customer', $2, 1, 0, NULL)
    ON CONFLICT (realm, subject_id) DO UPDATE SET
      failed_count = CASE WHEN l.failed_count + 1 >= ${BUDGET} THEN 0 ELSE l.failed_count + 1 END,
      lock_count = CASE WHEN l.failed_count + 1 >= ${BUDGET} THEN l.lock_count + 1 ELSE l.lock_count END,
      locked_until = CASE WHEN l.failed_count + 1 >= ${BUDGET} THEN $3::timestamptz + make_interval(secs => ${LOCK_SECONDS}) ELSE l.locked_until END
  )
  INSERT INTO floor_audit_events (id, at, type, subject_id, ip, data) VALUES ($4, $3, 'mfa.failed', $2, $5, $6)`;

interface Pending { id: string; subject_id: string; auth_time: Date; failed_attempts: number; locked_until: Date | null; email: string;
  factor_id: string | null; secret_sealed: string | null; last_used_step: string | null; codes_left: number | null }

export async function contractVerify(body: VerifyBody, ip: string, notices: NoticeSender): Promise<Answer> {
  const now = new Date();
  const recovery = body.recoveryCode !== undefined;
  const { rows } = await prepared(
    'contract_verify_read',
    `SELECT c.id, c.subject_id, c.auth_time, c.failed_attempts, l.locked_until, cu.email, f.id AS factor_id, f.secret_sealed, f.last_used_step,
            CASE WHEN $4::boolean THEN (SELECT count(*)::int FROM recovery_codes r
              WHERE r.realm = 'customer' AND r.subject_id = c.subject_id AND r.used_at IS NULL AND r.revoked_at IS NULL) END AS codes_left
     FROM mfa_challenges c JOIN customers cu ON cu.id = c.subject_id
       LEFT JOIN mfa_subject_locks l ON l.realm = 'customer' AND l.subject_id = c.subject_id
       LEFT JOIN mfa_factors f ON f.id = $2 AND f.subject_id = c.subject_id AND f.status = 'active'
     WHERE c.token_hash = $1 AND c.realm = 'customer' AND c.completed_at IS NULL AND c.expires_at > $3`,
    [sha256(body.mfaToken), body.factorId ?? null, now, recovery],
  );
  const pending = rows[0] as Pending | undefined;
  if (!pending || pending.failed_attempts >= BUDGET) return [401, { code: 'mfa_token_invalid' }];
  if (pending.locked_until && new Date(pending.locked_until) > now) return [423, { code: 'mfa_locked' }];
  const failed = async (): Promise<Answer> => {
    await prepared('contract_count_failure', COUNT_FAILURE, [pending.id, pending.subject_id, now, randomUUID(), ip, { method: recovery ? 'recovery_code' : 'totp' }]);
    return [401, { code: 'invalid_code' }];
  };

  const sessionId = randomUUID();
  const refreshToken = opaqueToken('rt');
  const common = [pending.id, pending.subject_id, now, randomUUID(), ip, { method: recovery ? 'recovery_code' : 'totp' }, sessionId, pending.auth_time,
    new Date(now.getTime() + SESSION_MS), sha256(refreshToken), recovery ? 'recovery_code' : 'totp'];
  let statement: [string, string, unknown[]];
  let notice = null;
  if (recovery) {
    const canonical = normaliseRecoveryCode(body.recoveryCode!);
    if (!canonical) return failed();
    notice = {
      id: randomUUID(), recipient: pending.email, subject: 'A recovery code was used to sign in',
      body: `A recovery code was used to sign in to your account at ${now.toISOString()}. ${pending.codes_left! - 1} codes are left. If this was not you, contact us.`,
    };
    statement = ['contract_spend_recovery', SPEND_RECOVERY_CODE,
      [...common, hasher.hash(canonical, `customer:${pending.subject_id}`), notice.id, notice.recipient, notice.body]];
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
