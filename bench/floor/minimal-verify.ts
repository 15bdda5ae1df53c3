// The minimal floor (FLOOR_KIND=minimal): the least any verify must do, with none of the contract's duties
// (no audit event, no attempt budget or lock, no notice): read the challenge with its factor (1 statement),
// spend the TOTP step or recovery code and complete the challenge conditionally (1), create the session and
// refresh token (1), sign an ES256 access token.
import { randomUUID } from 'node:crypto';
import { normaliseRecoveryCode } from '@app/twofactor';
import { Answer, hasher, opaqueToken, prepared, secrets, sha256, SESSION_MS, tokensFor, totp, VerifyBody } from './kit';

export async function minimalVerify(body: VerifyBody): Promise<Answer> {
  const now = new Date();
  const { rows } = await prepared(
    'floor_verify_read',
    `SELECT c.id, c.subject_id, c.auth_time, f.id AS factor_id, f.secret_sealed, f.last_used_step
     FROM mfa_challenges c LEFT JOIN mfa_factors f ON f.id = $2 AND f.subject_id = c.subject_id AND f.status = 'active'
     WHERE c.token_hash = $1 AND c.realm = 'customer' AND c.completed_at IS NULL AND c.expires_at > $3`,
    [sha256(body.mfaToken), body.factorId ?? null, now],
  );
  const challenge = rows[0];
  if (!challenge) return [401, { code: 'mfa_token_invalid' }];
  let spent: { rows: unknown[] };
  if (body.recoveryCode !== undefined) {
    const canonical = normaliseRecoveryCode(body.recoveryCode);
    if (!canonical) return [401, { code: 'invalid_code' }];
    spent = await prepared(
      'floor_spend_recovery',
      `WITH used AS (UPDATE recovery_codes SET used_at = $4 WHERE id = (SELECT id FROM recovery_codes WHERE realm = 'customer' AND subject_id = $2
                       AND code_hash = $3 AND used_at IS NULL AND revoked_at IS NULL LIMIT 1) AND used_at IS NULL RETURNING id)
       UPDATE mfa_challenges SET completed_at = $4 WHERE id = $1 AND completed_at IS NULL AND EXISTS (SELECT 1 FROM used) RETURNING id`,
      [challenge.id, challenge.subject_id, hasher.hash(canonical, `customer:${challenge.subject_id}`), now],
    );
  } else {
    if (!challenge.factor_id || !challenge.secret_sealed) return [404, { code: 'factor_not_found' }];
    const secret = secrets.open(challenge.secret_sealed, challenge.factor_id);
    const check = await totp.verify({ secret, token: String(body.code), at: now, afterTimeStep: challenge.last_used_step === null ? undefined : Number(challenge.last_used_step) });
    if (!check.valid) return [401, { code: 'invalid_code' }];
    spent = await prepared(
      'floor_spend_totp',
      `WITH step AS (UPDATE mfa_factors SET last_used_step = $3, last_used_at = $4 WHERE id = $2 AND (last_used_step IS NULL OR last_used_step < $3) RETURNING id)
       UPDATE mfa_challenges SET completed_at = $4 WHERE id = $1 AND completed_at IS NULL AND EXISTS (SELECT 1 FROM step) RETURNING id`,
      [challenge.id, challenge.factor_id, check.timeStep, now],
    );
  }
  if (!spent.rows.length) return [401, { code: 'invalid_code' }];
  const sessionId = randomUUID();
  const refreshToken = opaqueToken('rt');
  await prepared(
    'floor_session',
    `WITH s AS (INSERT INTO sessions (id, realm, subject_id, scope, amr, method, auth_time, mfa_at, created_at, last_used_at, expires_at)
                VALUES ($1, 'customer', $2, 'session', '["pwd","mfa"]', $7, $3, $4, $4, $4, $5) RETURNING id)
     INSERT INTO refresh_tokens (session_id, token_hash, created_at) SELECT id, $6, $4 FROM s`,
    [sessionId, challenge.subject_id, challenge.auth_time, now, new Date(now.getTime() + SESSION_MS), sha256(refreshToken), body.recoveryCode === undefined ? 'totp' : 'recovery_code'],
  );
  return tokensFor(challenge.subject_id, sessionId, refreshToken);
}
