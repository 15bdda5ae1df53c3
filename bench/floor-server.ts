// The floor: the least a correct second-factor verify must do, on bare node:http + pg. No framework,
// no ORM, no audit, no lockout: read the challenge with its factor (1 statement), spend the TOTP step or
// recovery code and complete the challenge conditionally (1), create the session and refresh token (1),
// sign an ES256 access token. The password step: read the account (1), argon2id, insert the challenge (1).
import './support/sql-counter';
import { createHash, createPrivateKey, randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify as verifyPassword } from '@node-rs/argon2';
import { SignJWT } from 'jose';
import { Pool } from 'pg';
import { CodeHasher, CryptoRandomSource, keyIdFor, normaliseRecoveryCode, SecretBox, TotpAlgorithm } from '@app/twofactor';
import { answerParent } from './support/child-control';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const random = new CryptoRandomSource();
const encryptionKey = Buffer.from(process.env.FACTOR_ENCRYPTION_KEY!, 'base64');
const secrets = new SecretBox({ currentKeyId: keyIdFor(encryptionKey), keys: { [keyIdFor(encryptionKey)]: encryptionKey } }, random);
const hasher = new CodeHasher(Buffer.from(process.env.CODE_HASH_KEY!, 'base64'));
const totp = new TotpAlgorithm(random);
const signingKey = createPrivateKey(process.env.JWT_PRIVATE_KEY!);
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
// Named prepared statements, as Twofold's sign-in uses: parsed and planned once per connection.
const prepared = (name: string, text: string, values: unknown[]) => pool.query({ name, text, values });

async function login(body: { email: string; password: string }) {
  const { rows } = await prepared('floor_login_read', `SELECT id, password_hash FROM customers WHERE email = $1`, [body.email]);
  if (!rows.length || !(await verifyPassword(rows[0].password_hash, body.password))) return [401, { code: 'invalid_credentials' }] as const;
  const mfaToken = `mfa_${randomBytes(32).toString('base64url')}`;
  const now = new Date();
  await prepared(
    'floor_login_challenge',
    `INSERT INTO mfa_challenges (realm, subject_id, token_hash, created_at, expires_at, auth_time) VALUES ('customer', $1, $2, $3, $4, $3)`,
    [rows[0].id, sha256(mfaToken), now, new Date(now.getTime() + 300_000)],
  );
  return [200, { status: 'mfa_required', mfaToken }] as const;
}

async function verify(body: { mfaToken: string; factorId?: string; code?: string; recoveryCode?: string }) {
  const now = new Date();
  const { rows } = await prepared(
    'floor_verify_read',
    `SELECT c.id, c.subject_id, c.auth_time, f.id AS factor_id, f.secret_sealed, f.last_used_step
     FROM mfa_challenges c LEFT JOIN mfa_factors f ON f.id = $2 AND f.subject_id = c.subject_id AND f.status = 'active'
     WHERE c.token_hash = $1 AND c.realm = 'customer' AND c.completed_at IS NULL AND c.expires_at > $3`,
    [sha256(body.mfaToken), body.factorId ?? null, now],
  );
  const challenge = rows[0];
  if (!challenge) return [401, { code: 'mfa_token_invalid' }] as const;
  let spent: { rows: unknown[] };
  if (body.recoveryCode !== undefined) {
    const canonical = normaliseRecoveryCode(body.recoveryCode);
    if (!canonical) return [401, { code: 'invalid_code' }] as const;
    spent = await prepared(
      'floor_spend_recovery',
      `WITH used AS (UPDATE recovery_codes SET used_at = $4 WHERE id = (SELECT id FROM recovery_codes WHERE realm = 'customer' AND subject_id = $2
                       AND code_hash = $3 AND used_at IS NULL AND revoked_at IS NULL LIMIT 1) AND used_at IS NULL RETURNING id)
       UPDATE mfa_challenges SET completed_at = $4 WHERE id = $1 AND completed_at IS NULL AND EXISTS (SELECT 1 FROM used) RETURNING id`,
      [challenge.id, challenge.subject_id, hasher.hash(canonical, `customer:${challenge.subject_id}`), now],
    );
  } else {
    if (!challenge.factor_id || !challenge.secret_sealed) return [404, { code: 'factor_not_found' }] as const;
    const secret = secrets.open(challenge.secret_sealed, challenge.factor_id);
    const check = await totp.verify({ secret, token: String(body.code), at: now, afterTimeStep: challenge.last_used_step === null ? undefined : Number(challenge.last_used_step) });
    if (!check.valid) return [401, { code: 'invalid_code' }] as const;
    spent = await prepared(
      'floor_spend_totp',
      `WITH step AS (UPDATE mfa_factors SET last_used_step = $3, last_used_at = $4 WHERE id = $2 AND (last_used_step IS NULL OR last_used_step < $3) RETURNING id)
       UPDATE mfa_challenges SET completed_at = $4 WHERE id = $1 AND completed_at IS NULL AND EXISTS (SELECT 1 FROM step) RETURNING id`,
      [challenge.id, challenge.factor_id, check.timeStep, now],
    );
  }
  if (!spent.rows.length) return [401, { code: 'invalid_code' }] as const;
  const sessionId = randomUUID();
  const refreshToken = `rt_${randomBytes(32).toString('base64url')}`;
  await prepared(
    'floor_session',
    `WITH s AS (INSERT INTO sessions (id, realm, subject_id, scope, amr, method, auth_time, mfa_at, created_at, last_used_at, expires_at)
                VALUES ($1, 'customer', $2, 'session', '["pwd","mfa"]', 'totp', $3, $4, $4, $4, $5) RETURNING id)
     INSERT INTO refresh_tokens (session_id, token_hash, created_at) SELECT id, $6, $4 FROM s`,
    [sessionId, challenge.subject_id, challenge.auth_time, now, new Date(now.getTime() + 43_200_000), sha256(refreshToken)],
  );
  const accessToken = await new SignJWT({ sid: sessionId, scope: 'session' })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' }).setAudience('customer').setSubject(challenge.subject_id)
    .setIssuedAt().setExpirationTime('15m').sign(signingKey);
  return [200, { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: 900 }] as const;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  const [status, answer] = req.url === '/auth/login' ? await login(body) : req.url === '/auth/mfa/verify' ? await verify(body) : ([404, {}] as const);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(answer));
}

answerParent();
const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    console.error(error);
    res.writeHead(500).end();
  });
});
server.listen(0, '127.0.0.1', () => process.send!({ ready: true, port: (server.address() as AddressInfo).port }));
