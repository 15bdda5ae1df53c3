// What both floors share: one pg pool, the API's own crypto, named prepared statements, the access token.
import { createHash, createPrivateKey, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { Pool } from 'pg';
import { CodeHasher, CryptoRandomSource, keyIdFor, SecretBox, TotpAlgorithm } from '@app/twofactor';

export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const random = new CryptoRandomSource();
const encryptionKey = Buffer.from(process.env.FACTOR_ENCRYPTION_KEY!, 'base64');
export const secrets = new SecretBox({ currentKeyId: keyIdFor(encryptionKey), keys: { [keyIdFor(encryptionKey)]: encryptionKey } }, random);
export const hasher = new CodeHasher(Buffer.from(process.env.CODE_HASH_KEY!, 'base64'));
export const totp = new TotpAlgorithm(random);
const signingKey = createPrivateKey(process.env.JWT_PRIVATE_KEY!);
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
export const opaqueToken = (prefix: string) => `${prefix}_${randomBytes(32).toString('base64url')}`;
export const SESSION_MS = 43_200_000;

/** Named prepared statements, as Twofold's sign-in uses: parsed and planned once per connection. */
export const prepared = (name: string, text: string, values: unknown[]) => pool.query({ name, text, values });

export type Answer = readonly [number, unknown];

export interface VerifyBody { mfaToken: string; factorId?: string; code?: string; recoveryCode?: string }

export async function tokensFor(subjectId: string, sessionId: string, refreshToken: string): Promise<Answer> {
  const accessToken = await new SignJWT({ sid: sessionId, scope: 'session' })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' }).setAudience('customer').setSubject(subjectId)
    .setIssuedAt().setExpirationTime('15m').sign(signingKey);
  return [200, { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: 900 }];
}
