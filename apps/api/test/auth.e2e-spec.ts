import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { bearer, enrolledCustomer, login, PASSWORD, register, signInWithTotp, uniqueEmail } from './support/journeys';
import { startTestApp, TestContext } from './support/test-app';

describe('Customer sign-in, tokens and sessions', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx?.close());
  afterEach(() => ctx.clock.reset());

  describe('registration', () => {
    it('creates an account with a normalised email', async () => {
      const res = await ctx.http.post('/auth/register').send({ email: '  Nurse.Jane@Example.COM ', password: PASSWORD }).expect(201);
      expect(res.body).toEqual({ id: expect.any(String), email: 'nurse.jane@example.com' });
    });

    it('refuses a taken email, whatever its case', async () => {
      const email = await register(ctx);
      const res = await ctx.http.post('/auth/register').send({ email: email.toUpperCase(), password: PASSWORD }).expect(409);
      expect(res.body.code).toBe('email_taken');
    });

    it.each([
      [{ email: 'not-an-email', password: PASSWORD }, 'email'],
      [{ email: 'a@example.com', password: 'short' }, 'password'],
      [{ email: 'a@example.com', password: 'password1234' }, 'password'],
      [{ email: 'a@example.com', password: 'x'.repeat(129) }, 'password'],
      [{ email: 'a@example.com' }, 'password'],
    ])('refuses %j with validation_failed naming the field', async (body, field) => {
      const res = await ctx.http.post('/auth/register').send(body).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('refuses unknown fields', async () => {
      const res = await ctx.http.post('/auth/register').send({ email: uniqueEmail(), password: PASSWORD, admin: true }).expect(400);
      expect(res.body.code).toBe('validation_failed');
    });
  });

  describe('bad input never reaches a 500', () => {
    it('answers malformed JSON with invalid_json', async () => {
      const res = await ctx.http.post('/auth/login').set('Content-Type', 'application/json').send('{"email": ').expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'invalid_json' });
    });

    it('answers a body over 16 KiB with 413', async () => {
      const res = await ctx.http.post('/auth/login').send({ email: 'a@example.com', password: 'x'.repeat(17 * 1024) }).expect(413);
      expect(res.body.code).toBe('payload_too_large');
    });

    it.each(['[]', '"text"', '42', 'null'])('refuses the non-object body %s', async (raw) => {
      const res = await ctx.http.post('/auth/login').set('Content-Type', 'application/json').send(raw);
      expect(res.status).toBe(400);
      expect(['invalid_json', 'validation_failed']).toContain(res.body.code);
    });

    it('refuses wrongly typed fields', async () => {
      const res = await ctx.http.post('/auth/login').send({ email: ['a'], password: { $ne: 1 } }).expect(400);
      expect(res.body.code).toBe('validation_failed');
    });

    it('answers unknown routes with 404 not_found', async () => {
      const res = await ctx.http.get('/nowhere').expect(404);
      expect(res.body.code).toBe('not_found');
    });
  });

  describe('password step', () => {
    it('gives the same answer for an unknown email and a wrong password', async () => {
      const email = await register(ctx);
      const wrong = await ctx.http.post('/auth/login').send({ email, password: 'wrong password here' }).expect(401);
      const unknown = await ctx.http.post('/auth/login').send({ email: uniqueEmail(), password: PASSWORD }).expect(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body.code).toBe('invalid_credentials');
    });

    it('answers mfa_setup_required with an enroll token that only opens /me and /me/factors', async () => {
      const email = await register(ctx);
      const answer = await login(ctx, email);
      expect(answer).toMatchObject({ status: 'mfa_setup_required', tokenType: 'Bearer', scope: 'enroll', expiresIn: 900 });
      const me = await ctx.http.get('/me').set(bearer(answer.accessToken)).expect(200);
      expect(me.body).toMatchObject({ email, mfa: { complete: false, setupRequired: ['primary', 'secondary'] } });
      await ctx.http.get('/me/factors').set(bearer(answer.accessToken)).expect(200);
      const sessions = await ctx.http.get('/me/sessions').set(bearer(answer.accessToken)).expect(403);
      expect(sessions.body.code).toBe('mfa_setup_incomplete');
      await ctx.http.get('/me/recovery-codes').set(bearer(answer.accessToken)).expect(403);
    });

    it('sets Cache-Control: no-store on answers that carry tokens', async () => {
      const email = await register(ctx);
      const res = await ctx.http.post('/auth/login').send({ email, password: PASSWORD }).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });

  describe('access tokens', () => {
    it('publishes the signing key and issues ES256 tokens with the contract claims', async () => {
      const customer = await enrolledCustomer(ctx);
      const jwks = await ctx.http.get('/.well-known/jwks.json').expect(200);
      expect(jwks.body.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) })]);
      const [header, payload] = customer.accessToken.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
      expect(header).toMatchObject({ alg: 'ES256', kid: jwks.body.keys[0].kid });
      expect(payload).toMatchObject({ aud: 'customer', sub: expect.any(String), sid: expect.any(String), scope: 'session', amr: expect.arrayContaining(['pwd', 'mfa']), auth_time: expect.any(Number) });
    });

    it('refuses alg none, a foreign key, another audience and a tampered payload', async () => {
      const customer = await enrolledCustomer(ctx);
      const [header, payload, signature] = customer.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).sign(createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' })));
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url')}.${signature}`;
      const staffAudience = `${header}.${Buffer.from(JSON.stringify({ ...claims, aud: 'staff' })).toString('base64url')}.${signature}`;
      for (const token of [none, foreign, tampered, staffAudience, 'garbage', '']) {
        const res = await ctx.http.get('/me').set(bearer(token)).expect(401);
        expect(res.body.code).toBe('unauthorized');
      }
      await ctx.http.get('/me').set(bearer(customer.accessToken)).expect(200);
    });

    it('refuses an expired token', async () => {
      const customer = await enrolledCustomer(ctx);
      ctx.clock.advance(901);
      await ctx.http.get('/me').set(bearer(customer.accessToken)).expect(401);
    });

    it('refuses requests without a token', async () => {
      await ctx.http.get('/me').expect(401);
      await ctx.http.get('/me/factors').expect(401);
    });
  });

  describe('refresh tokens', () => {
    it('rotates on every use; the old token then fails', async () => {
      const customer = await enrolledCustomer(ctx);
      const first = await ctx.http.post('/auth/refresh').send({ refreshToken: customer.refreshToken }).expect(200);
      expect(first.body).toMatchObject({ tokenType: 'Bearer', scope: 'session', expiresIn: 900, setupRequired: [] });
      expect(first.body.refreshToken).not.toBe(customer.refreshToken);
      expect(first.headers['cache-control']).toBe('no-store');
      await ctx.http.get('/me').set(bearer(first.body.accessToken)).expect(200);
    });

    it('treats reuse of a rotated token as theft and revokes the whole login', async () => {
      const customer = await enrolledCustomer(ctx);
      const rotated = await ctx.http.post('/auth/refresh').send({ refreshToken: customer.refreshToken }).expect(200);
      const reuse = await ctx.http.post('/auth/refresh').send({ refreshToken: customer.refreshToken }).expect(401);
      expect(reuse.body.code).toBe('refresh_token_reused');
      const after = await ctx.http.post('/auth/refresh').send({ refreshToken: rotated.body.refreshToken }).expect(401);
      expect(after.body.code).toBe('refresh_token_invalid');
      await ctx.http.get('/me').set(bearer(rotated.body.accessToken)).expect(401);
    });

    it('refuses an unknown token', async () => {
      const res = await ctx.http.post('/auth/refresh').send({ refreshToken: 'rt_nonsense' }).expect(401);
      expect(res.body.code).toBe('refresh_token_invalid');
    });

    it('expires a login idle for more than an hour', async () => {
      const customer = await enrolledCustomer(ctx);
      ctx.clock.advance(3601);
      const res = await ctx.http.post('/auth/refresh').send({ refreshToken: customer.refreshToken }).expect(401);
      expect(res.body.code).toBe('session_expired');
    });

    it('expires a login older than 12 hours even when kept busy', async () => {
      const customer = await enrolledCustomer(ctx);
      let refreshToken = customer.refreshToken;
      for (let step = 0; step < 16; step++) {
        ctx.clock.advance(3000);
        const res = await ctx.http.post('/auth/refresh').send({ refreshToken });
        if (res.status !== 200) {
          expect(res.body.code).toBe('session_expired');
          return;
        }
        refreshToken = res.body.refreshToken;
      }
      throw new Error('the login outlived SESSION_MAX_SECONDS');
    });
  });

  describe('logout and sessions', () => {
    it('logs out: the access and refresh tokens stop working', async () => {
      const customer = await enrolledCustomer(ctx);
      await ctx.http.post('/auth/logout').set(bearer(customer.accessToken)).send({ refreshToken: customer.refreshToken }).expect(204);
      await ctx.http.get('/me').set(bearer(customer.accessToken)).expect(401);
      await ctx.http.post('/auth/refresh').send({ refreshToken: customer.refreshToken }).expect(401);
    });

    it('lists live logins and revokes one', async () => {
      const customer = await enrolledCustomer(ctx);
      const second = await signInWithTotp(ctx, customer);
      const list = await ctx.http.get('/me/sessions').set(bearer(second.accessToken)).expect(200);
      expect(list.body.sessions).toHaveLength(2);
      const other = list.body.sessions.find((s: { current: boolean }) => !s.current);
      expect(other).toMatchObject({ id: expect.any(String), createdAt: expect.any(String), lastUsedAt: expect.any(String), method: 'email' });
      await ctx.http.delete(`/me/sessions/${other.id}`).set(bearer(second.accessToken)).expect(204);
      await ctx.http.get('/me').set(bearer(customer.accessToken)).expect(401);
      await ctx.http.delete(`/me/sessions/${other.id}`).set(bearer(second.accessToken)).expect(404);
      await ctx.http.delete('/me/sessions/not-a-uuid').set(bearer(second.accessToken)).expect(404);
    });

    it('changes the password with a recent second factor and revokes the other logins', async () => {
      const customer = await enrolledCustomer(ctx);
      const second = await signInWithTotp(ctx, customer);
      await ctx.http
        .post('/me/password')
        .set(bearer(second.accessToken))
        .send({ currentPassword: PASSWORD, newPassword: 'another long passphrase' })
        .expect(204);
      await ctx.http.get('/me').set(bearer(customer.accessToken)).expect(401);
      await ctx.http.get('/me').set(bearer(second.accessToken)).expect(200);
      await ctx.http.post('/auth/login').send({ email: customer.email, password: 'another long passphrase' }).expect(200);
    });
  });

  describe('operations', () => {
    it('reports health', async () => {
      const res = await ctx.http.get('/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', checks: { database: 'up', redis: process.env.REDIS_URL ? 'up' : 'absent' } });
    });

    it('serves an OpenAPI document that lists the contract routes', async () => {
      const res = await ctx.http.get('/docs-json').expect(200);
      for (const path of ['/auth/register', '/auth/login', '/auth/mfa/challenge', '/auth/mfa/verify', '/auth/refresh', '/auth/logout', '/me', '/me/factors', '/me/factors/{id}/verify', '/me/recovery-codes', '/me/sessions', '/health']) {
        expect(Object.keys(res.body.paths)).toContain(path);
      }
    });
  });
});
