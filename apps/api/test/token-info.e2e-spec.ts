import { createPublicKey } from 'node:crypto';
import { decodeJwt, SignJWT, UnsecuredJWT } from 'jose';
import { signedInStaff } from './support/admin-journeys';
import { bearer, enrolledCustomer, EnrolledCustomer, login, PASSWORD, register } from './support/journeys';
import { startTestApp, TestContext } from './support/test-app';

/**
 * GET /me/token-info: a controller guarded through Passport (`AuthGuard('customer-jwt')`) as well as by
 * the global guard, which checks tokens through the same strategy. Both must refuse what one refuses,
 * with the contract's error body rather than Passport's default.
 */
describe('Access tokens through Passport (GET /me/token-info)', () => {
  let ctx: TestContext;
  let customer: EnrolledCustomer;

  beforeAll(async () => {
    ctx = await startTestApp();
    customer = await enrolledCustomer(ctx);
  }, 60_000);
  afterAll(() => ctx?.close());
  afterEach(() => ctx.clock.reset());

  const expectUnauthorized = (res: { status: number; body: unknown }) => {
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, code: 'unauthorized', message: expect.any(String) });
  };

  it('shows the principal the token proves: realm, scope, methods and times, nothing secret', async () => {
    const res = await ctx.http.get('/me/token-info').set(bearer(customer.accessToken)).expect(200);
    expect(res.body).toEqual({
      realm: 'customer', scope: 'session', amr: expect.arrayContaining(['mfa']), authTime: expect.any(String), mfaAt: expect.any(String),
    });
    expect(new Date(res.body.authTime).getTime()).toBe((decodeJwt(customer.accessToken).auth_time as number) * 1000);
  });

  it('refuses a staff token (another realm) with 401 unauthorized', async () => {
    const staff = await signedInStaff(ctx, 'agent');
    await ctx.http.get('/admin/me').set(bearer(staff.accessToken)).expect(200);
    expectUnauthorized(await ctx.http.get('/me/token-info').set(bearer(staff.accessToken)));
  });

  it('refuses a token past its expiry on the service clock', async () => {
    ctx.clock.advance(ctx.config.ACCESS_TOKEN_TTL_SECONDS - 5);
    await ctx.http.get('/me/token-info').set(bearer(customer.accessToken)).expect(200);
    ctx.clock.advance(10);
    expectUnauthorized(await ctx.http.get('/me/token-info').set(bearer(customer.accessToken)));
  });

  it('refuses unsigned and HS256 tokens carrying valid claims', async () => {
    const claims = decodeJwt(customer.accessToken);
    const unsigned = new UnsecuredJWT(claims).encode();
    // The classic confusion: HMAC keyed with the published public key.
    const publicPem = createPublicKey(ctx.env.JWT_PRIVATE_KEY).export({ type: 'spki', format: 'pem' }).toString();
    const hs256 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(new TextEncoder().encode(publicPem));
    for (const token of [unsigned, hs256, `${customer.accessToken}x`]) {
      expectUnauthorized(await ctx.http.get('/me/token-info').set(bearer(token)));
    }
  });

  it('refuses the token of a login that has ended', async () => {
    const other = await enrolledCustomer(ctx);
    await ctx.http.get('/me/token-info').set(bearer(other.accessToken)).expect(200);
    await ctx.http.post('/auth/logout').set(bearer(other.accessToken)).send({ refreshToken: other.refreshToken }).expect(204);
    expectUnauthorized(await ctx.http.get('/me/token-info').set(bearer(other.accessToken)));
  });

  it('refuses an enroll-scope token with 403 mfa_setup_incomplete', async () => {
    const email = await register(ctx);
    const { accessToken, scope } = await login(ctx, email);
    expect(scope).toBe('enroll');
    await ctx.http.get('/me').set(bearer(accessToken)).expect(200);
    const res = await ctx.http.get('/me/token-info').set(bearer(accessToken)).expect(403);
    expect(res.body.code).toBe('mfa_setup_incomplete');
  });

  it('refuses a request without a token', async () => {
    expectUnauthorized(await ctx.http.get('/me/token-info'));
  });

  it('leaves a public route open whatever token is sent (Passport\'s refusal never reaches it)', async () => {
    const { mfaToken } = await ctx.http.post('/auth/login').set(bearer('not.a.token')).send({ email: customer.email, password: PASSWORD }).expect(200).then((res) => res.body);
    expect(mfaToken).toEqual(expect.any(String));
    await ctx.http.get('/.well-known/jwks.json').set(bearer(`${customer.accessToken}x`)).expect(200);
  });
});
