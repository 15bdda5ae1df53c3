import { randomInt } from 'node:crypto';
import { startTestApp, TestContext } from './support/test-app';

describe('Rate limits per client IP', () => {
  let ctx: TestContext;
  // A random client address (via X-Forwarded-For from the trusted loopback proxy), so counters
  // left in a shared Redis by an earlier run never leak into this one.
  const ip = `203.0.113.${randomInt(1, 254)}`;

  beforeAll(async () => {
    ctx = await startTestApp({ THROTTLE_ENABLED: 'true', THROTTLE_LOGIN_PER_MIN: '3', THROTTLE_MFA_PER_MIN: '2' });
  });
  afterAll(() => ctx?.close());

  it('answers the request over the login limit with 429, Retry-After and too_many_requests', async () => {
    const attempt = () => ctx.http.post('/auth/login').set('X-Forwarded-For', ip).send({ email: 'nobody@example.com', password: 'wrong password 1' });
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'too_many_requests', retryAfter: expect.any(Number) });
    expect(Number(limited.headers['retry-after'])).toBe(limited.body.retryAfter);
    expect(limited.body.retryAfter).toBeGreaterThan(0);
    expect(limited.body.retryAfter).toBeLessThanOrEqual(60);
    // Registration has a budget of its own: a throttled login does not block it.
    await ctx.http.post('/auth/register').set('X-Forwarded-For', ip).send({ email: `rl.${Date.now()}@example.com`, password: 'correct horse battery staple' }).expect(201);
  });

  it('counts the second-factor routes apart from the login route', async () => {
    const other = `198.51.100.${randomInt(1, 254)}`;
    const verify = () => ctx.http.post('/auth/mfa/verify').set('X-Forwarded-For', other).send({ mfaToken: 'mfa_x', recoveryCode: 'AAAA-AAAA-AAAA-AAAA' });
    expect((await verify()).status).toBe(401);
    expect((await verify()).status).toBe(401);
    expect((await verify()).status).toBe(429);
    const login = await ctx.http.post('/auth/login').set('X-Forwarded-For', other).send({ email: 'nobody@example.com', password: 'wrong password 1' });
    expect(login.status).toBe(401);
  });

  it('counts password reset requests in the login budget', async () => {
    const other = `192.0.2.${randomInt(1, 254)}`;
    const forgot = () => ctx.http.post('/auth/password/forgot').set('X-Forwarded-For', other).send({ email: 'nobody@example.com' });
    for (let i = 0; i < 3; i++) expect((await forgot()).status).toBe(202);
    const limited = await forgot();
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('too_many_requests');
    // One family: the login route from that address is spent too.
    const login = await ctx.http.post('/auth/login').set('X-Forwarded-For', other).send({ email: 'nobody@example.com', password: 'wrong password 1' });
    expect(login.status).toBe(429);
    const reset = await ctx.http.post('/auth/password/reset').set('X-Forwarded-For', other).send({ resetToken: 'prt_x' });
    expect(reset.status).toBe(429);
  });

  it('leaves routes without a limit alone', async () => {
    for (let i = 0; i < 6; i++) await ctx.http.get('/health').set('X-Forwarded-For', ip).expect(200);
  });
});
