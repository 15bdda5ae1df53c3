import { DataSource } from 'typeorm';
import { PurgeService } from '../src/maintenance/purge.service';
import { createStaff, REASON, SignedInStaff, signedInStaff } from './support/admin-journeys';
import {
  bearer, currentTotp, enrolledCustomer, login, nextTotpStep, PASSWORD, register, signInWithTotp, uniqueEmail,
} from './support/journeys';
import { startTestApp, TestContext } from './support/test-app';
import { totp } from './support/totp';

/** Issue 8: contract corrections and review findings. Each test failed on the code before its fix. */
describe('Contract corrections and auth findings', () => {
  let ctx: TestContext;
  let admin: SignedInStaff;
  let supervisor: SignedInStaff;

  beforeAll(async () => {
    ctx = await startTestApp();
    admin = await signedInStaff(ctx, 'admin');
    supervisor = await signedInStaff(ctx, 'supervisor');
  });
  afterAll(() => ctx?.close());
  afterEach(() => ctx.clock.reset());

  const customerId = async (email: string) => {
    const { body } = await ctx.http.get('/admin/customers').query({ filter: JSON.stringify({ q: email }) }).set(bearer(supervisor.accessToken)).expect(200);
    return body[0].id as string;
  };
  const auditEvents = async (filter: Record<string, unknown>) => {
    const res = await ctx.http.get('/admin/audit-events').query({ filter: JSON.stringify(filter), range: '[0,99]' }).set(bearer(supervisor.accessToken)).expect(200);
    return res.body as { type: string; ip: string | null; actor: { type: string; id: string | null }; subject: { id: string | null }; data: Record<string, unknown> }[];
  };

  /** A customer who set up only an authenticator app (the secondary is still missing). */
  const primaryOnly = async () => {
    const email = await register(ctx);
    const auth = bearer((await login(ctx, email)).accessToken);
    const added = await ctx.http.post('/me/factors').set(auth).send({ type: 'totp', role: 'primary' }).expect(201);
    await ctx.http.post(`/me/factors/${added.body.factor.id}/verify`).set(auth).send({ code: currentTotp(ctx, added.body.secret) }).expect(200);
    return { email, totpFactorId: added.body.factor.id as string, totpSecret: added.body.secret as string };
  };

  describe('incomplete setup never gets a full session', () => {
    it('answers mfa_required with setupRequired; the factor gives enroll tokens that refresh as enroll; finishing setup gives a session', async () => {
      const customer = await primaryOnly();
      nextTotpStep(ctx);
      const answer = await login(ctx, customer.email);
      expect(answer).toMatchObject({ status: 'mfa_required', setupRequired: ['secondary'] });
      const signedIn = await ctx.http
        .post('/auth/mfa/verify')
        .send({ mfaToken: answer.mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) })
        .expect(200);
      expect(signedIn.body).toMatchObject({ scope: 'enroll', setupRequired: ['secondary'], method: 'totp', refreshToken: expect.any(String) });
      const [, payload] = signedIn.body.accessToken.split('.');
      expect(JSON.parse(Buffer.from(payload, 'base64url').toString()).scope).toBe('enroll');
      const refused = await ctx.http.get('/me/sessions').set(bearer(signedIn.body.accessToken)).expect(403);
      expect(refused.body.code).toBe('mfa_setup_incomplete');

      const refreshed = await ctx.http.post('/auth/refresh').send({ refreshToken: signedIn.body.refreshToken }).expect(200);
      expect(refreshed.body).toMatchObject({ scope: 'enroll', setupRequired: ['secondary'] });
      await ctx.http.get('/me/sessions').set(bearer(refreshed.body.accessToken)).expect(403);

      const auth = bearer(refreshed.body.accessToken);
      const emailFactor = await ctx.http.post('/me/factors').set(auth).send({ type: 'email', role: 'secondary' }).expect(201);
      const code = await ctx.smtp.codeFor(customer.email);
      const done = await ctx.http.post(`/me/factors/${emailFactor.body.factor.id}/verify`).set(auth).send({ code }).expect(200);
      expect(done.body).toMatchObject({ complete: true, tokens: { scope: 'session', setupRequired: [], refreshToken: expect.any(String) } });
      await ctx.http.get('/me/sessions').set(bearer(done.body.tokens.accessToken)).expect(200);
    });

    it('lets a customer whose primary support removed pass their secondary, then add a primary, and only then have a session', async () => {
      const customer = await enrolledCustomer(ctx);
      const agent = await signedInStaff(ctx, 'agent');
      const id = await customerId(customer.email);
      await ctx.http.delete(`/admin/customers/${id}/factors/${customer.totpFactorId}`).set(bearer(agent.accessToken)).send({ reason: REASON, verification: 'id_document' }).expect(200);

      const answer = await login(ctx, customer.email);
      expect(answer).toMatchObject({ status: 'mfa_required', setupRequired: ['primary'] });
      await ctx.http.post('/auth/mfa/challenge').send({ mfaToken: answer.mfaToken, factorId: customer.emailFactorId }).expect(202);
      const code = await ctx.smtp.codeFor(customer.email);
      const enroll = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, factorId: customer.emailFactorId, code }).expect(200);
      expect(enroll.body).toMatchObject({ scope: 'enroll', setupRequired: ['primary'] });
      const auth = bearer(enroll.body.accessToken);
      await ctx.http.post('/me/recovery-codes').set(auth).expect(403);
      const added = await ctx.http.post('/me/factors').set(auth).send({ type: 'totp', role: 'primary' }).expect(201);
      nextTotpStep(ctx);
      const done = await ctx.http.post(`/me/factors/${added.body.factor.id}/verify`).set(auth).send({ code: currentTotp(ctx, added.body.secret) }).expect(200);
      expect(done.body.tokens).toMatchObject({ scope: 'session', setupRequired: [] });
    });
  });

  describe('support removals', () => {
    it('refuses an agent removing a customer\'s last active factor (403 forbidden): that is a whole reset', async () => {
      const customer = await enrolledCustomer(ctx);
      const agent = await signedInStaff(ctx, 'agent');
      const id = await customerId(customer.email);
      const remove = (factorId: string) =>
        ctx.http.delete(`/admin/customers/${id}/factors/${factorId}`).set(bearer(agent.accessToken)).send({ reason: REASON, verification: 'id_document' });
      expect((await remove(customer.emailFactorId)).status).toBe(200);
      const last = await remove(customer.totpFactorId);
      expect(last.status).toBe(403);
      expect(last.body.code).toBe('forbidden');
      const detail = await ctx.http.get(`/admin/customers/${id}`).set(bearer(agent.accessToken)).expect(200);
      expect(detail.body.factors.map((f: { id: string }) => f.id)).toEqual([customer.totpFactorId]);
    });
  });

  describe('staff setup passwords', () => {
    it('answers password_change_required on staff routes while the setup password is in use, but not under /admin/auth and /admin/me', async () => {
      const created = await createStaff(ctx, 'agent');
      const first = await ctx.http.post('/admin/auth/login').send({ email: created.email, password: created.setupPassword }).expect(200);
      const enroll = bearer(first.body.accessToken);
      const factor = await ctx.http.post('/admin/me/factors').set(enroll).send({ type: 'totp', role: 'primary' }).expect(201);
      const done = await ctx.http.post(`/admin/me/factors/${factor.body.factor.id}/verify`).set(enroll).send({ code: totp(factor.body.secret, ctx.clock.now()) }).expect(200);
      const auth = bearer(done.body.tokens.accessToken);
      const blocked = await ctx.http.get('/admin/customers').set(auth).expect(403);
      expect(blocked.body.code).toBe('password_change_required');
      await ctx.http.get('/admin/stats').set(auth).expect(403);
      await ctx.http.get('/admin/me').set(auth).expect(200);
      await ctx.http.get('/admin/me/factors').set(auth).expect(200);
      await ctx.http.post('/admin/auth/refresh').send({ refreshToken: done.body.tokens.refreshToken }).expect(200);
      await ctx.http.post('/admin/me/password').set(auth).send({ currentPassword: created.setupPassword, newPassword: 'a passphrase of my own' }).expect(204);
      await ctx.http.get('/admin/customers').set(auth).expect(200);
    });

    it('lets a setup password expire after 24 hours', async () => {
      const created = await createStaff(ctx, 'agent');
      ctx.clock.advance(24 * 3600 + 1);
      const res = await ctx.http.post('/admin/auth/login').send({ email: created.email, password: created.setupPassword }).expect(401);
      expect(res.body.code).toBe('setup_password_expired');
    });

    it('lets an admin issue a new setup password once the old one expired', async () => {
      const created = await createStaff(ctx, 'agent');
      ctx.clock.advance(24 * 3600 + 1);
      const freshAdmin = await signedInStaff(ctx, 'admin');
      const reissued = await ctx.http.post(`/admin/staff/${created.id}/setup-password`).set(bearer(freshAdmin.accessToken)).expect(201);
      expect(reissued.headers['cache-control']).toBe('no-store');
      expect(reissued.body).toMatchObject({ id: created.id, email: created.email, setupPassword: expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{20}$/) });
      await ctx.http.post('/admin/auth/login').send({ email: created.email, password: created.setupPassword }).expect(401);
      const login = await ctx.http.post('/admin/auth/login').send({ email: created.email, password: reissued.body.setupPassword }).expect(200);
      expect(login.body.status).toBe('mfa_setup_required');
      const events = await ctx.http.get('/admin/audit-events').query({ filter: JSON.stringify({ subjectId: created.id, type: 'staff.setup_password_reissued' }) }).set(bearer(freshAdmin.accessToken)).expect(200);
      expect(events.body).toHaveLength(1);
      const docs = await ctx.http.get('/docs-json').expect(200);
      expect(Object.keys(docs.body.paths)).toContain('/admin/staff/{id}/setup-password');
    });

    it('ends a disabled member of staff\'s open sign-in: the challenge dies with the account', async () => {
      const agent = await signedInStaff(ctx, 'agent');
      nextTotpStep(ctx);
      const started = await ctx.http.post('/admin/auth/login').send({ email: agent.email, password: agent.password }).expect(200);
      await ctx.http.patch(`/admin/staff/${agent.id}`).set(bearer(admin.accessToken)).send({ disabled: true }).expect(200);
      const res = await ctx.http
        .post('/admin/auth/mfa/verify')
        .send({ mfaToken: started.body.mfaToken, factorId: agent.factorId, code: totp(agent.totpSecret, ctx.clock.now()) })
        .expect(401);
      expect(res.body.code).toBe('mfa_token_invalid');
    });
  });

  describe('enrolment confirmation', () => {
    it('answers a wrong TOTP confirmation with attemptsRemaining, and ends the enrolment when the budget is spent', async () => {
      const email = await register(ctx);
      const auth = bearer((await login(ctx, email)).accessToken);
      const added = await ctx.http.post('/me/factors').set(auth).send({ type: 'totp', role: 'primary' }).expect(201);
      const remaining: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await ctx.http.post(`/me/factors/${added.body.factor.id}/verify`).set(auth).send({ code: '000000' }).expect(401);
        expect(res.body.code).toBe('invalid_code');
        remaining.push(res.body.attemptsRemaining);
      }
      expect(remaining).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      const after = await ctx.http.post(`/me/factors/${added.body.factor.id}/verify`).set(auth).send({ code: currentTotp(ctx, added.body.secret) }).expect(404);
      expect(after.body.code).toBe('factor_not_found');
    });

    it('kills a sent code after 5 wrong tries (a resend gives a new one)', async () => {
      const email = await register(ctx);
      const auth = bearer((await login(ctx, email)).accessToken);
      const added = await ctx.http.post('/me/factors').set(auth).send({ type: 'sms', role: 'primary', phone: '+447911123480' }).expect(201);
      const code = await ctx.twilio.codeFor('+447911123480');
      const wrong = code === '000000' ? '111111' : '000000';
      const remaining: number[] = [];
      for (let i = 0; i < 5; i++) {
        remaining.push((await ctx.http.post(`/me/factors/${added.body.factor.id}/verify`).set(auth).send({ code: wrong }).expect(401)).body.attemptsRemaining);
      }
      expect(remaining).toEqual([4, 3, 2, 1, 0]);
      const killed = await ctx.http.post(`/me/factors/${added.body.factor.id}/verify`).set(auth).send({ code }).expect(401);
      expect(killed.body.code).toBe('code_expired');
      ctx.clock.advance(31);
      await ctx.http.post(`/me/factors/${added.body.factor.id}/resend`).set(auth).expect(202);
      const fresh = await ctx.twilio.codeFor('+447911123480');
      await ctx.http.post(`/me/factors/${added.body.factor.id}/verify`).set(auth).send({ code: fresh }).expect(200);
    });

    it('expires a pending authenticator enrolment after 10 minutes, and the purge deletes it', async () => {
      const email = await register(ctx);
      const auth = bearer((await login(ctx, email)).accessToken);
      const added = await ctx.http.post('/me/factors').set(auth).send({ type: 'totp', role: 'primary' }).expect(201);
      ctx.clock.advance(601);
      const late = await ctx.http.post(`/me/factors/${added.body.factor.id}/verify`).set(auth).send({ code: currentTotp(ctx, added.body.secret) }).expect(401);
      expect(late.body.code).toBe('code_expired');
      const db = ctx.app.get(DataSource);
      const exists = async () => Number((await db.query(`SELECT count(*) AS n FROM mfa_factors WHERE id = $1`, [added.body.factor.id]))[0].n);
      expect(await exists()).toBe(1);
      await ctx.app.get(PurgeService).purge();
      expect(await exists()).toBe(0);
    });
  });

  describe('input', () => {
    it('answers a JSON string holding \\u0000 (valid JSON) with validation_failed, not invalid_json', async () => {
      const res = await ctx.http.post('/auth/login').set('Content-Type', 'application/json').send('{"email":"a\\u0000@example.com","password":"whatever password"}').expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'email' })]);
    });
  });

  describe('password guessing per account', () => {
    const from = (n: number) => ({ 'X-Forwarded-For': `198.51.100.${n % 250}` });

    it('throttles many IPs guessing one account (429 + Retry-After), the same for an unknown email, but not a client that signed in before', async () => {
      const customer = await enrolledCustomer(ctx);
      // The client that set the account up signed in from 203.0.113.7.
      nextTotpStep(ctx);
      const known = await ctx.http.post('/auth/login').set('X-Forwarded-For', '203.0.113.7').send({ email: customer.email, password: PASSWORD }).expect(200);
      await ctx.http
        .post('/auth/mfa/verify').set('X-Forwarded-For', '203.0.113.7')
        .send({ mfaToken: known.body.mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) })
        .expect(200);

      const guess = async (email: string, n: number) => ctx.http.post('/auth/login').set(from(n)).send({ email, password: `wrong guess number ${n}` });
      const statuses: number[] = [];
      for (let n = 0; n < 12; n++) statuses.push((await guess(customer.email, n)).status);
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      const throttled = await guess(customer.email, 99);
      expect(throttled.status).toBe(429);
      expect(throttled.body).toMatchObject({ code: 'too_many_requests', retryAfter: expect.any(Number) });
      expect(Number(throttled.headers['retry-after'])).toBe(throttled.body.retryAfter);
      // Throttled whatever the password: the right one from a stranger's IP waits too.
      await ctx.http.post('/auth/login').set(from(100)).send({ email: customer.email, password: PASSWORD }).expect(429);
      // The customer's own client is not throttled.
      await ctx.http.post('/auth/login').set('X-Forwarded-For', '203.0.113.7').send({ email: customer.email, password: PASSWORD }).expect(200);

      const unknown = uniqueEmail('nobody');
      const unknownStatuses: number[] = [];
      for (let n = 0; n < 12; n++) unknownStatuses.push((await guess(unknown, n)).status);
      expect(unknownStatuses).toEqual(statuses);
      const unknownThrottled = await guess(unknown, 99);
      expect(unknownThrottled.status).toBe(429);
      expect(Object.keys(unknownThrottled.body).sort()).toEqual(Object.keys(throttled.body).sort());

      // The wait passes; a right password then clears the count.
      ctx.clock.advance(throttled.body.retryAfter + 1);
      await ctx.http.post('/auth/login').set(from(101)).send({ email: customer.email, password: PASSWORD }).expect(200);
      await guess(customer.email, 102).then((res) => expect(res.status).toBe(401));
    });
  });

  describe('password guessing per account, all at once', () => {
    it('checks one password at a time once the wait begins, however many guesses arrive together', async () => {
      const customer = await enrolledCustomer(ctx);
      const guesses = await Promise.all(
        Array.from({ length: 30 }, (_, n) =>
          ctx.http.post('/auth/login').set('X-Forwarded-For', `192.0.2.${n + 1}`).send({ email: customer.email, password: `wrong guess number ${n}` }),
        ),
      );
      const checked = guesses.filter((res) => res.status === 401).length;
      // The 10th try starts a 1 s wait, then 2 s, 4 s: real seconds pass while 30 hashes run on this
      // machine, so one or two more may get through — never the 30 that arrived.
      expect(checked).toBeGreaterThanOrEqual(10);
      expect(checked).toBeLessThanOrEqual(12);
      expect(guesses.filter((res) => res.status === 429).length).toBe(30 - checked);
    });
  });

  describe('customer password change', () => {
    it('changes the password, ends other logins, audits it with the IP and tells the customer', async () => {
      const customer = await enrolledCustomer(ctx);
      const second = await signInWithTotp(ctx, customer);
      await ctx.http.post('/me/password').set(bearer(second.accessToken)).set('X-Forwarded-For', '203.0.113.9')
        .send({ currentPassword: PASSWORD, newPassword: 'another long passphrase' }).expect(204);
      await ctx.http.get('/me').set(bearer(customer.accessToken)).expect(401);
      const id = await customerId(customer.email);
      const events = await auditEvents({ subjectId: id, type: 'password.changed' });
      expect(events).toEqual([expect.objectContaining({ type: 'password.changed', ip: '203.0.113.9', actor: expect.objectContaining({ type: 'customer', id }) })]);
      await ctx.smtp.waitFor((mail) => mail.to.includes(customer.email) && /password/i.test(mail.subject ?? ''));
    });
  });

  describe('audit coverage', () => {
    it('records customer searches, password failures, refresh-token reuse, logout and refused admin authorisation; self-service events carry the IP', async () => {
      const agent = await signedInStaff(ctx, 'agent');
      const customer = await enrolledCustomer(ctx);
      const id = await customerId(customer.email);

      await ctx.http.get('/admin/customers').query({ filter: JSON.stringify({ q: customer.email }) }).set(bearer(agent.accessToken)).expect(200);
      const listed = await auditEvents({ actorId: agent.id, type: 'customer.listed' });
      expect(listed[0]).toMatchObject({ data: expect.objectContaining({ filter: { q: customer.email } }) });

      await ctx.http.post('/auth/login').set('X-Forwarded-For', '203.0.113.20').send({ email: customer.email, password: 'not my password at all' }).expect(401);
      expect(await auditEvents({ subjectId: id, type: 'password.failed' })).toEqual([expect.objectContaining({ ip: '203.0.113.20' })]);

      await ctx.http.post('/auth/refresh').send({ refreshToken: customer.refreshToken }).expect(200);
      await ctx.http.post('/auth/refresh').send({ refreshToken: customer.refreshToken }).expect(401);
      expect(await auditEvents({ subjectId: id, type: 'session.refresh_token_reused' })).toHaveLength(1);

      const other = await signInWithTotp(ctx, customer);
      await ctx.http.post('/auth/logout').set(bearer(other.accessToken)).expect(204);
      expect(await auditEvents({ subjectId: id, type: 'session.logged_out' })).toHaveLength(1);

      await ctx.http.get('/admin/staff').set(bearer(agent.accessToken)).set('X-Forwarded-For', '203.0.113.21').expect(403);
      expect(await auditEvents({ actorId: agent.id, type: 'authorization.refused' })).toEqual([
        expect.objectContaining({ ip: '203.0.113.21', data: expect.objectContaining({ method: 'GET', path: '/admin/staff', code: 'forbidden' }) }),
      ]);

      const fresh = await signInWithTotp(ctx, customer);
      await ctx.http.post('/me/recovery-codes').set(bearer(fresh.accessToken)).set('X-Forwarded-For', '203.0.113.22').expect(201);
      expect(await auditEvents({ subjectId: id, type: 'recovery_codes.generated' })).toEqual(
        expect.arrayContaining([expect.objectContaining({ ip: '203.0.113.22', actor: expect.objectContaining({ type: 'customer' }) })]),
      );
    });
  });

  describe('tests that could not fail before', () => {
    it('refuses another account\'s step-up token and another login\'s, spending nothing', async () => {
      const customer = await enrolledCustomer(ctx);
      const stranger = await enrolledCustomer(ctx);
      const mine = await signInWithTotp(ctx, customer);
      const strangerLogin = await signInWithTotp(ctx, stranger);
      const foreign = await ctx.http.post('/me/step-up').set(bearer(strangerLogin.accessToken)).expect(200);
      nextTotpStep(ctx);
      const refused = await ctx.http
        .post('/me/step-up/verify').set(bearer(mine.accessToken))
        .send({ mfaToken: foreign.body.mfaToken, factorId: stranger.totpFactorId, code: currentTotp(ctx, stranger.totpSecret) })
        .expect(401);
      expect(refused.body.code).toBe('mfa_token_invalid');

      // A step-up started by this account's other login does not count for this one.
      const otherLogin = await ctx.http.post('/me/step-up').set(bearer(customer.accessToken)).expect(200);
      const sameAccount = await ctx.http
        .post('/me/step-up/verify').set(bearer(mine.accessToken))
        .send({ mfaToken: otherLogin.body.mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) })
        .expect(401);
      expect(sameAccount.body.code).toBe('mfa_token_invalid');
      // Nothing was spent: the stranger's own login still completes its step-up with that code.
      await ctx.http
        .post('/me/step-up/verify').set(bearer(strangerLogin.accessToken))
        .send({ mfaToken: foreign.body.mfaToken, factorId: stranger.totpFactorId, code: currentTotp(ctx, stranger.totpSecret) })
        .expect(200);
    });

    it('ends a login exactly SESSION_MAX_SECONDS (12 h) after it started, however busy', async () => {
      const customer = await enrolledCustomer(ctx);
      let refreshToken = customer.refreshToken;
      const refresh = async (status: number) => {
        const res = await ctx.http.post('/auth/refresh').send({ refreshToken });
        expect({ status: res.status, code: res.body.code }).toEqual({ status, code: status === 200 ? undefined : 'session_expired' });
        refreshToken = res.body.refreshToken;
      };
      for (let step = 0; step < 14; step++) {
        ctx.clock.advance(3000);
        await refresh(200);
      }
      // 42 000 s in; 43 190 s still lives (a few real seconds pass while the test runs), 43 201 s does not.
      ctx.clock.advance(1190);
      await refresh(200);
      ctx.clock.advance(11);
      await refresh(401);
    });

    it('never lets a customer revoke another customer\'s session', async () => {
      const customer = await enrolledCustomer(ctx);
      const stranger = await enrolledCustomer(ctx);
      const { body } = await ctx.http.get('/me/sessions').set(bearer(stranger.accessToken)).expect(200);
      const strangersSession = body.sessions[0].id;
      const res = await ctx.http.delete(`/me/sessions/${strangersSession}`).set(bearer(customer.accessToken)).expect(404);
      expect(res.body.code).toBe('session_not_found');
      await ctx.http.get('/me').set(bearer(stranger.accessToken)).expect(200);
    });

    it('clears the failure count on a success: ten more tries before a lock', async () => {
      const customer = await enrolledCustomer(ctx);
      const fail = async (times: number) => {
        let last = { status: 0, body: {} as Record<string, unknown> };
        for (let i = 0; i < times; i++) {
          const answer = await login(ctx, customer.email);
          last = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, factorId: customer.totpFactorId, code: '000000' });
        }
        return last;
      };
      expect((await fail(9)).body).toMatchObject({ code: 'invalid_code', attemptsRemaining: 1 });
      await signInWithTotp(ctx, customer);
      expect((await fail(9)).body).toMatchObject({ code: 'invalid_code', attemptsRemaining: 1 });
    });
  });
});

describe('The lock\'s 24 h cap', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await startTestApp({ MFA_LOCK_THRESHOLD: '1', MFA_LOCK_SECONDS: '40000' });
  });
  afterAll(() => ctx?.close());

  it('doubles each lock up to 24 hours, never beyond', async () => {
    const customer = await enrolledCustomer(ctx);
    const locks: number[] = [];
    for (let i = 0; i < 4; i++) {
      const answer = await login(ctx, customer.email);
      const res = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, factorId: customer.totpFactorId, code: '000000' }).expect(423);
      locks.push(res.body.retryAfter);
      ctx.clock.advance(res.body.retryAfter + 1);
    }
    expect(locks).toEqual([40000, 80000, 86400, 86400]);
  });
});

describe('Durations outside production', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await startTestApp({ OTP_TTL_SECONDS: '4', MFA_TOKEN_TTL_SECONDS: '5', SESSION_IDLE_SECONDS: '20' });
  });
  afterAll(() => ctx?.close());

  it('accepts a 4-second code lifetime and applies it', async () => {
    const email = await register(ctx);
    const auth = bearer((await login(ctx, email)).accessToken);
    const added = await ctx.http.post('/me/factors').set(auth).send({ type: 'sms', role: 'primary', phone: '+447911123481' }).expect(201);
    const code = await ctx.twilio.codeFor('+447911123481');
    ctx.clock.advance(5);
    const late = await ctx.http.post(`/me/factors/${added.body.factor.id}/verify`).set(auth).send({ code }).expect(401);
    expect(late.body.code).toBe('code_expired');
  });
});
