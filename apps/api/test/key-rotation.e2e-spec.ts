import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { keyIdFor } from '@app/twofactor';
import { DataSource } from 'typeorm';
import { KeyRotationService } from '../src/maintenance/key-rotation.service';
import { bearer, currentTotp, enrolledCustomer, EnrolledCustomer, login, nextTotpStep, signInWithTotp } from './support/journeys';
import { startTestApp, TestContext } from './support/test-app';

const signingKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = (privatePem: string) => createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
const secretKey = () => randomBytes(32);
const b64 = (...keys: Buffer[]) => keys.map((key) => key.toString('base64')).join(',');

/**
 * The runbook of docs/operations.md, step by step: each key (JWT, FACTOR_ENCRYPTION_KEY, CODE_HASH_KEY)
 * is rotated with the API restarted on the same database, and customers enrolled under the old keys
 * keep signing in — with their authenticator app and with recovery codes — across it.
 */
describe('Key rotation (docs/operations.md runbook)', () => {
  const [jwtOld, jwtNew] = [signingKey(), signingKey()];
  const [encOld, encNew] = [secretKey(), secretKey()];
  const [hashOld, hashNew] = [secretKey(), secretKey()];
  let ctx: TestContext;
  let early: EnrolledCustomer;
  let idle: EnrolledCustomer;

  const restart = async (env: Record<string, string>) => {
    ctx = await ctx.restart(env);
  };
  const sealedKeyIds = async () =>
    (await ctx.app.get(DataSource).query(`SELECT DISTINCT split_part(secret_sealed, '.', 2) AS id FROM mfa_factors WHERE secret_sealed IS NOT NULL`))
      .map((row: { id: string }) => row.id)
      .sort();
  const recoveryCodeSignIn = async (customer: EnrolledCustomer, code: string) => {
    const { mfaToken } = await login(ctx, customer.email);
    return ctx.http.post('/auth/mfa/verify').send({ mfaToken, recoveryCode: code });
  };
  const totpSignIn = async (customer: EnrolledCustomer) => {
    nextTotpStep(ctx);
    const { mfaToken } = await login(ctx, customer.email);
    return ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) });
  };

  beforeAll(async () => {
    ctx = await startTestApp({ JWT_PRIVATE_KEY: jwtOld, FACTOR_ENCRYPTION_KEY: b64(encOld), CODE_HASH_KEY: b64(hashOld) });
    early = await enrolledCustomer(ctx);
    idle = await enrolledCustomer(ctx);
  }, 120_000);
  afterAll(() => ctx?.close());

  it('step 1: new keys first, old ones kept — every old token, seed and code still works', async () => {
    // A sign-in in flight across the restart: its emailed code was hashed under the old hash key.
    const { mfaToken } = await login(ctx, early.email);
    await ctx.http.post('/auth/mfa/challenge').send({ mfaToken, factorId: early.emailFactorId }).expect(202);
    const emailed = await ctx.smtp.codeFor(early.email);
    await restart({ JWT_PRIVATE_KEY: jwtNew, JWT_PREVIOUS_PUBLIC_KEY: publicPem(jwtOld), FACTOR_ENCRYPTION_KEY: b64(encNew, encOld), CODE_HASH_KEY: b64(hashNew, hashOld) });
    await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: early.emailFactorId, code: emailed }).expect(200);
    // An access token signed by the old key, and the JWKS publishing both keys.
    await ctx.http.get('/me').set(bearer(early.accessToken)).expect(200);
    const jwks = await ctx.http.get('/.well-known/jwks.json').expect(200);
    expect(jwks.body.keys).toHaveLength(2);
    // A seed sealed under the old encryption key, re-sealed under the new one by its use.
    const signedIn = await signInWithTotp(ctx, early);
    await ctx.http.get('/me').set(bearer(signedIn.accessToken)).expect(200);
    expect(await sealedKeyIds()).toEqual([keyIdFor(encNew), keyIdFor(encOld)].sort());
    // A recovery code hashed under the old hash key.
    const recovered = await recoveryCodeSignIn(early, early.recoveryCodes[0]);
    expect(recovered.status).toBe(200);
    expect(recovered.body.recoveryCodesRemaining).toBe(9);
  });

  it('step 2: keys:status shows what still needs the old keys, keys:reseal moves every seed', async () => {
    const rotation = ctx.app.get(KeyRotationService);
    const fresh = await enrolledCustomer(ctx);
    const before = await rotation.status();
    expect(before.factorEncryption.sealed[keyIdFor(encOld)]).toBe(1); // `idle`, who has not signed in
    expect(before.codeHash.liveRecoveryCodes).toEqual({ [keyIdFor(hashOld)]: 9 + 10, [keyIdFor(hashNew)]: 10 });
    expect(await rotation.reseal()).toEqual({ resealed: 1, missingKey: {}, unreadable: 0 });
    expect(await sealedKeyIds()).toEqual([keyIdFor(encNew)]);
    expect(await rotation.reseal()).toEqual({ resealed: 0, missingKey: {}, unreadable: 0 });
    expect((await totpSignIn(fresh)).status).toBe(200);
  });

  it('step 3: old signing and encryption keys retired — sign-in works, old tokens are refused', async () => {
    // The old hash key stays: recovery codes hashed under it are live for months.
    await restart({ JWT_PRIVATE_KEY: jwtNew, FACTOR_ENCRYPTION_KEY: b64(encNew), CODE_HASH_KEY: b64(hashNew, hashOld) });
    await ctx.http.get('/me').set(bearer(early.accessToken)).expect(401);
    expect((await ctx.http.get('/.well-known/jwks.json').expect(200)).body.keys).toHaveLength(1);
    for (const customer of [early, idle]) expect((await totpSignIn(customer)).status).toBe(200);
    expect((await recoveryCodeSignIn(idle, idle.recoveryCodes[0])).status).toBe(200);
  });

  it('a seed under a key that is no longer configured is a clear 503, never a 500, until the key is back', async () => {
    const encNewer = secretKey();
    // Rotated again but the previous key dropped at once, without keys:reseal: the operator's mistake.
    await restart({ JWT_PRIVATE_KEY: jwtNew, FACTOR_ENCRYPTION_KEY: b64(encNewer), CODE_HASH_KEY: b64(hashNew, hashOld) });
    const refused = await totpSignIn(idle);
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ statusCode: 503, code: 'factor_key_unavailable', message: expect.any(String) });
    const rotation = ctx.app.get(KeyRotationService);
    expect((await rotation.status()).factorEncryption.missing).toEqual([keyIdFor(encNew)]);
    expect((await rotation.reseal()).missingKey).toEqual({ [keyIdFor(encNew)]: 3 });
    // The customer's other ways in still work meanwhile.
    expect((await recoveryCodeSignIn(idle, idle.recoveryCodes[1])).status).toBe(200);

    await restart({ JWT_PRIVATE_KEY: jwtNew, FACTOR_ENCRYPTION_KEY: b64(encNewer, encNew), CODE_HASH_KEY: b64(hashNew, hashOld) });
    expect(await ctx.app.get(KeyRotationService).reseal()).toEqual({ resealed: 3, missingKey: {}, unreadable: 0 });
    expect((await totpSignIn(idle)).status).toBe(200);
  });
});
