import { approvedReset, REASON, signedInStaff } from './support/admin-journeys';
import { bearer, currentTotp, enrolledCustomer, login, nextTotpStep, PASSWORD, register, uniqueEmail } from './support/journeys';
import { startTestApp, TestContext } from './support/test-app';

/** Regression tests for holes a security review found; each fails on the code before its fix. */
describe('Security regressions', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx?.close());
  afterEach(() => ctx.clock.reset());

  it('checks at most the lock threshold of guesses, however many arrive at once', async () => {
    const customer = await enrolledCustomer(ctx);
    const tokens = await Promise.all(Array.from({ length: 4 }, () => login(ctx, customer.email)));
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ctx.http.post('/auth/mfa/verify').send({ mfaToken: tokens[i % 4].mfaToken, factorId: customer.totpFactorId, code: String(100000 + i) }),
      ),
    );
    const checked = guesses.filter((res) => res.body.code === 'invalid_code').length;
    // 10 failures lock the account; no more than 10 guesses may ever have been compared.
    expect(checked).toBeLessThanOrEqual(9);
    expect(guesses.filter((res) => res.body.code === 'mfa_locked').length).toBeGreaterThanOrEqual(1);
    const later = await ctx.http.post('/auth/login').send({ email: customer.email, password: PASSWORD });
    expect(later.status).toBe(423);
  });

  it('never lets the password alone replace a factor support removed: the remaining factor is asked for first', async () => {
    const customer = await enrolledCustomer(ctx);
    const agent = await signedInStaff(ctx, 'agent');
    const { body: list } = await ctx.http.get('/admin/customers').query({ filter: JSON.stringify({ q: customer.email }) }).set(bearer(agent.accessToken)).expect(200);
    await ctx.http
      .delete(`/admin/customers/${list[0].id}/factors/${customer.totpFactorId}`)
      .set(bearer(agent.accessToken))
      .send({ reason: REASON, verification: 'callback_to_number_on_file' })
      .expect(200);

    const answer = await login(ctx, customer.email);
    expect(answer.status).toBe('mfa_required');
    expect(answer.factors.map((f: { type: string }) => f.type)).toEqual(['email']);
    ctx.clock.advance(31);
    await ctx.http.post('/auth/mfa/challenge').send({ mfaToken: answer.mfaToken, factorId: customer.emailFactorId }).expect(202);
    const code = await ctx.smtp.codeFor(customer.email);
    const session = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, factorId: customer.emailFactorId, code }).expect(200);
    expect(session.body.setupRequired).toEqual(['primary']);
    const added = await ctx.http.post('/me/factors').set(bearer(session.body.accessToken)).send({ type: 'totp', role: 'primary' }).expect(201);
    expect(added.body.factor.role).toBe('primary');
  });

  it('refuses an enroll-scope login that has proven nothing once the account has a factor', async () => {
    const email = await register(ctx);
    const first = await login(ctx, email);
    const second = await login(ctx, email);
    const totpRes = await ctx.http.post('/me/factors').set(bearer(first.accessToken)).send({ type: 'totp', role: 'primary' }).expect(201);
    await ctx.http.post(`/me/factors/${totpRes.body.factor.id}/verify`).set(bearer(first.accessToken)).send({ code: currentTotp(ctx, totpRes.body.secret) }).expect(200);
    const intruder = await ctx.http.post('/me/factors').set(bearer(second.accessToken)).send({ type: 'sms', role: 'secondary', phone: '+447911123470' }).expect(403);
    expect(intruder.body.code).toBe('recent_mfa_required');
    // The login that set up the primary carries on with its setup.
    await ctx.http.post('/me/factors').set(bearer(first.accessToken)).send({ type: 'email', role: 'secondary' }).expect(201);
  });

  it('caps the codes one account can have sent, however often it re-enrols', async () => {
    const customer = await enrolledCustomer(ctx);
    const auth = bearer(customer.accessToken);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      ctx.clock.advance(31);
      const res = await ctx.http.post('/me/factors').set(auth).send({ type: 'sms', role: 'secondary', phone: `+4479111235${String(i).padStart(2, '0')}` });
      statuses.push(res.status);
    }
    // The account has had its enrolment email and these: at most 10 sends an hour, re-enrolment or not.
    expect(statuses.filter((s) => s === 201).length).toBe(9);
    expect(statuses.slice(-1)).toEqual([429]);
  });

  it('caps the codes one phone number receives per hour, across accounts', async () => {
    const number = '+447911123490';
    const results: number[] = [];
    for (let i = 0; i < 21; i++) {
      const customer = await enrolledCustomer(ctx);
      const res = await ctx.http.post('/me/factors').set(bearer(customer.accessToken)).send({ type: 'sms', role: 'secondary', phone: number });
      results.push(res.status);
    }
    expect(results.slice(0, 20).every((status) => status === 201)).toBe(true);
    expect(results[20]).toBe(429);
  });

  it('gives a reset account a fresh set of recovery codes, even after one was used', async () => {
    const customer = await enrolledCustomer(ctx);
    const answer = await login(ctx, customer.email);
    await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, recoveryCode: customer.recoveryCodes[0] }).expect(200);
    const supervisor = await signedInStaff(ctx, 'supervisor');
    const { body: list } = await ctx.http.get('/admin/customers').query({ filter: JSON.stringify({ q: customer.email }) }).set(bearer(supervisor.accessToken)).expect(200);
    const approver = await signedInStaff(ctx, 'supervisor');
    ctx.config.SUPPORT_RESET_DELAY_SECONDS = 0;
    expect(await approvedReset(ctx, list[0].id, supervisor, approver, 'id_document')).toMatchObject({ status: 'executed' });
    const setup = await login(ctx, customer.email);
    expect(setup.status).toBe('mfa_setup_required');
    const totpRes = await ctx.http.post('/me/factors').set(bearer(setup.accessToken)).send({ type: 'totp', role: 'primary' }).expect(201);
    nextTotpStep(ctx);
    const done = await ctx.http.post(`/me/factors/${totpRes.body.factor.id}/verify`).set(bearer(setup.accessToken)).send({ code: currentTotp(ctx, totpRes.body.secret) }).expect(200);
    expect(done.body.recoveryCodes).toHaveLength(10);
    expect(done.body.recoveryCodes).not.toContain(customer.recoveryCodes[1]);
  });

  it.each([
    ['a NUL in a JSON string', '{"email":"a\\u0000@example.com","password":"whatever password"}'],
    ['a lone surrogate in a JSON string', '{"email":"a\\ud800@example.com","password":"whatever password"}'],
  ])('answers %s with a 400, not a 500', async (_label, raw) => {
    const res = await ctx.http.post('/auth/login').set('Content-Type', 'application/json').send(raw);
    expect(res.status).toBe(400);
  });

  it('records a last login only for a completed sign-in, not for a password typed in', async () => {
    const email = await register(ctx);
    await login(ctx, email);
    const agent = await signedInStaff(ctx, 'agent');
    const find = async () =>
      (await ctx.http.get('/admin/customers').query({ filter: JSON.stringify({ q: email }) }).set(bearer(agent.accessToken)).expect(200)).body[0];
    expect((await find()).lastLoginAt).toBeNull();
    const customer = await enrolledCustomer(ctx);
    const row = (await ctx.http.get('/admin/customers').query({ filter: JSON.stringify({ q: customer.email }) }).set(bearer(agent.accessToken)).expect(200)).body[0];
    expect(row.lastLoginAt).toEqual(expect.any(String));
  });

  it('asks staff to prove a second factor again before support actions once an hour has passed', async () => {
    const customer = await enrolledCustomer(ctx);
    const agent = await signedInStaff(ctx, 'agent');
    const { body: list } = await ctx.http.get('/admin/customers').query({ filter: JSON.stringify({ q: customer.email }) }).set(bearer(agent.accessToken)).expect(200);
    ctx.clock.advance(1800);
    const halfway = await ctx.http.post('/admin/auth/refresh').send({ refreshToken: agent.refreshToken }).expect(200);
    ctx.clock.advance(1801);
    const later = await ctx.http.post('/admin/auth/refresh').send({ refreshToken: halfway.body.refreshToken }).expect(200);
    const res = await ctx.http
      .delete(`/admin/customers/${list[0].id}/factors/${customer.emailFactorId}`)
      .set(bearer(later.body.accessToken))
      .send({ reason: REASON, verification: 'security_questions' })
      .expect(403);
    expect(res.body.code).toBe('recent_mfa_required');
    await ctx.http.get(`/admin/customers/${list[0].id}`).set(bearer(later.body.accessToken)).expect(200);
  });

  it('answers a null recovery code with validation_failed', async () => {
    const res = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: 'mfa_x', recoveryCode: null }).expect(400);
    expect(res.body.code).toBe('validation_failed');
  });

  it('answers a NUL in a query string with a 400', async () => {
    const agent = await signedInStaff(ctx, 'agent');
    const res = await ctx.http.get('/admin/customers?filter=%7B%22q%22%3A%22a%00%22%7D').set(bearer(agent.accessToken));
    expect(res.status).toBe(400);
  });

  it('refuses form-encoded bodies outside the webhook', async () => {
    const res = await ctx.http.post('/auth/login').type('form').send({ email: uniqueEmail(), password: PASSWORD });
    expect(res.status).toBe(400);
  });

  it('hides the dev outbox once any real provider is configured', async () => {
    await ctx.http.get('/dev/outbox').expect(404);
  });
});
