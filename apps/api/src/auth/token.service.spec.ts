import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '@app/twofactor/testing';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, UnsecuredJWT } from 'jose';
import { loadConfig } from '../config/app.config';
import { loadKeys } from '../config/keys';
import { Realm } from '@app/twofactor';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import { AccessClaims, TokenService } from './token.service';

/** A token through passport-jwt with the service's verification options, as the realms' strategies check it. */
function verified(tokens: TokenService, token: string, realm: Realm): Promise<AccessClaims | null> {
  return new Promise((resolve, reject) => {
    const strategy = new JwtStrategy(
      { ...tokens.verification(realm), jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken() },
      (payload: Record<string, unknown>, done: (error: null, claims: AccessClaims | false) => void) => done(null, tokens.claimsOf(payload, realm) ?? false),
    );
    Object.assign(strategy, { success: resolve, fail: () => resolve(null), error: reject });
    strategy.authenticate({ headers: { authorization: `Bearer ${token}` } } as never, {});
  });
}

function service(clock = new FixedClock(new Date('2026-05-01T08:00:00Z'))) {
  const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'twofold-tokens-')) });
  const keys = loadKeys(config);
  return { tokens: new TokenService(config, keys, clock), clock, keys, config };
}

const claims = {
  realm: 'customer' as const, subjectId: '2f1b8c1e-9c6b-4a55-8a1f-0c2d3e4f5a6b', sessionId: '7a9e1c55-1111-4d2e-9f00-123456789abc',
  scope: 'session' as const, amr: ['pwd', 'mfa', 'otp'], authTime: new Date('2026-05-01T07:59:00Z'),
};

describe(TokenService.name, () => {
  it('round-trips the claims within the realm it was issued for', async () => {
    const { tokens } = service();
    const token = await tokens.sign(claims);
    await expect(verified(tokens, token, 'customer')).resolves.toEqual(claims);
    await expect(verified(tokens, token, 'staff')).resolves.toBeNull();
  });

  it('signs a compact ES256 JWS that a standard verifier accepts against the published JWKS', async () => {
    const { tokens, keys, config, clock } = service();
    const token = await tokens.sign(claims);
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await tokens.jwks()), {
      algorithms: ['ES256'], issuer: config.publicBaseUrl, audience: 'customer', typ: 'at+jwt', currentDate: clock.now(),
    });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: keys.signing.kid, typ: 'at+jwt' });
    const now = clock.now().getTime() / 1000;
    expect(payload).toEqual({
      iss: config.publicBaseUrl, aud: 'customer', sub: claims.subjectId, sid: claims.sessionId, scope: 'session', amr: claims.amr,
      auth_time: claims.authTime.getTime() / 1000, iat: now, exp: now + config.ACCESS_TOKEN_TTL_SECONDS, jti: expect.any(String),
    });
    // r and s side by side (64 bytes), as JWS requires, not a DER sequence.
    expect(Buffer.from(token.split('.')[2], 'base64url')).toHaveLength(64);
    expect(await tokens.sign(claims)).not.toBe(token);
  });

  it('expires tokens after ACCESS_TOKEN_TTL_SECONDS', async () => {
    const { tokens, clock } = service();
    const token = await tokens.sign(claims);
    clock.advance(899_000);
    await expect(verified(tokens, token, 'customer')).resolves.not.toBeNull();
    clock.advance(2_000);
    await expect(verified(tokens, token, 'customer')).resolves.toBeNull();
  });

  it('refuses unsigned tokens, HS256 tokens keyed with the public key, and tokens of another key', async () => {
    const { tokens, keys, config } = service();
    const payload = { sid: claims.sessionId, scope: 'session', amr: [], auth_time: 1 };
    const base = <T extends SignJWT | UnsecuredJWT>(jwt: T): T =>
      jwt.setIssuer(config.publicBaseUrl).setAudience('customer').setSubject(claims.subjectId).setIssuedAt().setExpirationTime('5m') as T;
    const unsecured = base(new UnsecuredJWT(payload)).encode();
    const hsWithPublicKey = await base(new SignJWT(payload).setProtectedHeader({ alg: 'HS256' })).sign(
      new Uint8Array(keys.signing.publicKey.export({ type: 'spki', format: 'der' })),
    );
    const { privateKey: other } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const foreign = await base(new SignJWT(payload).setProtectedHeader({ alg: 'ES256' })).sign(other);
    for (const token of [unsecured, hsWithPublicKey, foreign, randomBytes(20).toString('base64url')]) {
      await expect(verified(tokens, token, 'customer')).resolves.toBeNull();
    }
  });

  it('publishes the public key as a JWK with its kid', async () => {
    const { tokens, keys } = service();
    const { keys: jwks } = await tokens.jwks();
    expect(jwks).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', kid: keys.signing.kid, alg: 'ES256', use: 'sig' })]);
    expect(jwks[0]).not.toHaveProperty('d');
  });

  describe('signing key rotation', () => {
    const pem = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const publicPem = (privatePem: string) => createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
    const clock = new FixedClock(new Date('2026-05-01T08:00:00Z'));
    const withKeys = (env: Record<string, string>) => {
      const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'twofold-tokens-')), FACTOR_ENCRYPTION_KEY: secret, CODE_HASH_KEY: secret, ...env });
      const keys = loadKeys(config);
      return { tokens: new TokenService(config, keys, clock), keys };
    };
    const secret = randomBytes(32).toString('base64');
    const [oldPem, newPem] = [pem(), pem()];

    it('still accepts tokens of the previous key (public or private PEM) and publishes both keys', async () => {
      const before = withKeys({ JWT_PRIVATE_KEY: oldPem });
      const token = await before.tokens.sign(claims);
      for (const previous of [publicPem(oldPem), oldPem]) {
        const after = withKeys({ JWT_PRIVATE_KEY: newPem, JWT_PREVIOUS_PUBLIC_KEY: previous });
        await expect(verified(after.tokens, token, 'customer')).resolves.toEqual(claims);
        const { keys: jwks } = await after.tokens.jwks();
        expect(jwks.map((jwk) => jwk.kid)).toEqual([after.keys.signing.kid, before.keys.signing.kid]);
        expect(jwks.every((jwk) => !('d' in jwk))).toBe(true);
        // New tokens carry the new key's id.
        const fresh = await after.tokens.sign(claims);
        expect(decodeProtectedHeader(fresh).kid).toBe(after.keys.signing.kid);
      }
    });

    it('refuses them once the previous key is retired, and a token naming one key but signed by another', async () => {
      const token = await withKeys({ JWT_PRIVATE_KEY: oldPem }).tokens.sign(claims);
      const after = withKeys({ JWT_PRIVATE_KEY: newPem });
      await expect(verified(after.tokens, token, 'customer')).resolves.toBeNull();
      const [, payload, signature] = token.split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: after.keys.signing.kid, typ: 'at+jwt' })).toString('base64url');
      await expect(verified(after.tokens, `${header}.${payload}.${signature}`, 'customer')).resolves.toBeNull();
    });

    it('refuses a previous key that is not P-256', () => {
      const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      expect(() => withKeys({ JWT_PRIVATE_KEY: newPem, JWT_PREVIOUS_PUBLIC_KEY: p384 })).toThrow(/JWT_PREVIOUS_PUBLIC_KEY/);
      expect(() => withKeys({ JWT_PRIVATE_KEY: newPem, JWT_PREVIOUS_PUBLIC_KEY: 'nope' })).toThrow(/JWT_PREVIOUS_PUBLIC_KEY/);
    });
  });
});
