// Bench accounts written straight into the database (the API's own crypto, none of its HTTP): each has
// an authenticator app (primary), email (secondary), ten recovery codes and one open sign-in per phase.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Client } from 'pg';
import { CodeHasher, CryptoRandomSource, generateRecoveryCodes, keyIdFor, normaliseRecoveryCode, SecretBox, TotpAlgorithm } from '@app/twofactor';

export const BENCH_PASSWORD = 'correct horse battery staple';

export interface BenchUser {
  id: string;
  email: string;
  totpFactorId: string;
  totpSecret: string;
  recoveryCodes: string[];
  /** One mfaToken per phase that needs an open sign-in. */
  mfaTokens: Record<'totp' | 'recovery', string>;
}

export interface BenchKeys {
  FACTOR_ENCRYPTION_KEY: string;
  CODE_HASH_KEY: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export async function seedUsers(db: Client, keys: BenchKeys, count: number, label: string): Promise<BenchUser[]> {
  const random = new CryptoRandomSource();
  const encryptionKey = Buffer.from(keys.FACTOR_ENCRYPTION_KEY, 'base64');
  const secrets = new SecretBox({ currentKeyId: keyIdFor(encryptionKey), keys: { [keyIdFor(encryptionKey)]: encryptionKey } }, random);
  const hasher = new CodeHasher(Buffer.from(keys.CODE_HASH_KEY, 'base64'));
  const totp = new TotpAlgorithm(random);
  // One argon2id hash for every account: same cost to verify as distinct ones, minutes less seeding.
  const passwordHash = await hash(BENCH_PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const now = new Date();
  const expires = new Date(now.getTime() + 3600_000);
  const users: BenchUser[] = [];
  const rows = { customers: [] as unknown[][], factors: [] as unknown[][], codes: [] as unknown[][], challenges: [] as unknown[][] };
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const user: BenchUser = {
      id, email: `${label}.${i}@bench.twofold.local`, totpFactorId: randomUUID(), totpSecret: totp.generateSecret(),
      recoveryCodes: generateRecoveryCodes(random, 10), mfaTokens: { totp: '', recovery: '' },
    };
    rows.customers.push([id, user.email, passwordHash]);
    rows.factors.push([user.totpFactorId, id, 'totp', 'primary', secrets.seal(user.totpSecret, user.totpFactorId), null]);
    rows.factors.push([randomUUID(), id, 'email', 'secondary', null, user.email]);
    for (const code of user.recoveryCodes) rows.codes.push([id, hasher.hash(normaliseRecoveryCode(code)!, `customer:${id}`)]);
    for (const phase of ['totp', 'recovery'] as const) {
      user.mfaTokens[phase] = `mfa_${randomBytes(32).toString('base64url')}`;
      rows.challenges.push([id, sha256(user.mfaTokens[phase])]);
    }
    users.push(user);
  }
  const columns = (table: unknown[][], index: number) => table.map((row) => row[index]);
  await db.query(
    `INSERT INTO customers (id, email, password_hash, created_at, password_changed_at) SELECT *, $4::timestamptz, $4::timestamptz FROM unnest($1::uuid[], $2::text[], $3::text[])`,
    [columns(rows.customers, 0), columns(rows.customers, 1), columns(rows.customers, 2), now],
  );
  await db.query(
    `INSERT INTO mfa_factors (id, realm, subject_id, type, role, status, secret_sealed, destination, created_at, verified_at)
     SELECT f.id, 'customer', f.subject_id, f.type, f.role, 'active', f.secret, f.destination, $7, $7
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) AS f(id, subject_id, type, role, secret, destination)`,
    [0, 1, 2, 3, 4, 5].map((index) => columns(rows.factors, index)).concat([now as never]),
  );
  await db.query(
    `INSERT INTO recovery_codes (realm, subject_id, code_hash, generated_at) SELECT 'customer', *, $3 FROM unnest($1::uuid[], $2::text[])`,
    [columns(rows.codes, 0), columns(rows.codes, 1), now],
  );
  await db.query(
    `INSERT INTO mfa_challenges (realm, subject_id, token_hash, created_at, expires_at, auth_time)
     SELECT 'customer', *, $3, $4, $3 FROM unnest($1::uuid[], $2::text[])`,
    [columns(rows.challenges, 0), columns(rows.challenges, 1), now, expires],
  );
  return users;
}
