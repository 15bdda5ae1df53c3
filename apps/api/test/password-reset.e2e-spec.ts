import { auditEvents, customerId, database, noticeTo, requestReset } from './support/account-recovery';
import { bearer, currentTotp, EnrolledCustomer, enrolledCustomer, login, nextTotpStep, PASSWORD, register, uniqueEmail } from './support/journeys';
import { NoticeMailer } from '../src/notifications/notice-mailer';
import { FORGOT_MIN_MS } from '../src/password-reset/password-reset.service';
import { startTestApp, TestContext } from './support/test-app';

const NEW_PASSWORD = 'a brand new passphrase 42';

/**
 * Password reset: the email link (a token) plus a second factor that is not email. Against PostgreSQL
 * (TEST_DATABASE_URL) the race below really runs on separate connections.
 */
describe('Password reset', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await startTestApp({ PUBLIC_BASE_URL: 'https://twofold.example' });
  }, 120_000);
  afterAll(() => ctx?.close());

  const startReset = async (token: string) => (await ctx.http.post('/auth/password/reset').send({ resetToken: token }).expect(200)).body;
  const resetWithTotp = (customer: EnrolledCustomer, mfaToken: string, extra: Record<string, unknown> = { newPassword: NEW_PASSWORD }) =>
    ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret), ...extra });
  const loginStatus = async (email: string, password: string) => (await ctx.http.post('/auth/login').send({ email, password })).status;

  describe('POST /auth/password/forgot', () => {
    it('answers 202 {} for known and unknown addresses alike, and mails only the known one a link and a token', async () => {
      const customer = await enrolledCustomer(ctx);
      const unknown = uniqueEmail('nobody');
      const forUnknown = await ctx.http.post('/auth/password/forgot').send({ email: unknown }).expect(202);
      const forKnown = await ctx.http.post('/auth/password/forgot').send({ email: customer.email.toUpperCase() }).expect(202);
      expect(forKnown.body).toEqual({});
      expect(forUnknown.body).toEqual(forKnown.body);
      expect(forUnknown.text).toBe(forKnown.text);

      const mail = await ctx.smtp.waitFor((m) => m.to.includes(customer.email) && m.subject === 'Reset your password');
      const link = /https:\/\/twofold\.example\/account\/#\/reset\?token=(\S+)/.exec(mail.text ?? '');
      expect(link).not.toBeNull();
      const token = decodeURIComponent(link![1]);
      // The same token as text, to paste; at least 128 bits of randomness (32 bytes, base64url).
      expect(mail.text).toContain(`reset code into the reset page: ${token}`);
      expect(Buffer.from(token.replace(/^prt_/, ''), 'base64url').length).toBeGreaterThanOrEqual(16);
      await ctx.flushDeliveries();
      expect(ctx.smtp.messages.filter((m) => m.to.includes(unknown))).toHaveLength(0);

      // Stored only as a hash.
      const rows = await database(ctx).query(`SELECT token_hash FROM password_reset_tokens WHERE customer_id = $1`, [await customerId(ctx, customer.email)]);
      expect(rows).toHaveLength(1);
      expect(rows[0].token_hash).not.toContain(token.slice(4, 20));
      expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('takes about as long for an unknown address as for a known one, however slow the mail is', async () => {
      // A mail provider that takes 50 ms and no CPU (the local SMTP server runs in this very process and
      // would time itself): awaited anywhere in the request, it would make every known address 50 ms slower.
      const mailer = ctx.app.get(NoticeMailer);
      const sent: string[] = [];
      const slowMail = jest.spyOn(mailer, 'sendPasswordReset').mockImplementation(async (to) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        sent.push(to);
      });
      try {
        // Fresh accounts: one account's hourly cap must not turn "known" into the unknown path.
        const accounts: string[] = [];
        for (let i = 0; i < 3; i++) accounts.push(await register(ctx));
        const time = async (email: string) => {
          const started = process.hrtime.bigint();
          await ctx.http.post('/auth/password/forgot').send({ email }).expect(202);
          return Number(process.hrtime.bigint() - started) / 1e6;
        };
        const known: number[] = [];
        const unknown: number[] = [];
        for (let i = 0; i < 15; i++) {
          known.push(await time(accounts[i % accounts.length]));
          unknown.push(await time(uniqueEmail('nobody')));
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(sent).toHaveLength(15);
        const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
        if (process.env.REPORT_TIMING) process.stdout.write(`forgot median: known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms\n`);
        // Lenient for a shared machine; the point is that no step (a hash, a send) runs for one and not the other.
        expect(Math.abs(median(known) - median(unknown))).toBeLessThan(10);
        expect(median(unknown)).toBeGreaterThanOrEqual(FORGOT_MIN_MS);
      } finally {
        slowMail.mockRestore();
      }
    });

    it('sends at most 5 reset emails an hour to one account, and the last one sent keeps working', async () => {
      const customer = await enrolledCustomer(ctx);
      const mails = () => ctx.smtp.messages.filter((m) => m.to.includes(customer.email) && m.subject === 'Reset your password');
      let last = '';
      for (let i = 0; i < 5; i++) last = await requestReset(ctx, customer.email);
      await ctx.http.post('/auth/password/forgot').send({ email: customer.email }).expect(202);
      await ctx.flushDeliveries();
      // Long enough for a sixth mail to reach the local SMTP server, had one been sent.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(mails()).toHaveLength(5);
      await startReset(last);
      ctx.clock.advance(3601);
      try {
        const fresh = await requestReset(ctx, customer.email);
        expect(mails()).toHaveLength(6);
        await startReset(fresh);
      } finally {
        ctx.clock.advance(-3601);
      }
    });

    it('refuses a missing email or an unknown field with validation_failed', async () => {
      const res = await ctx.http.post('/auth/password/forgot').send({}).expect(400);
      expect(res.body.code).toBe('validation_failed');
      await ctx.http.post('/auth/password/forgot').send({ email: 'x@example.com', extra: 1 }).expect(400);
    });
  });

  describe('POST /auth/password/reset', () => {
    it('answers mfa_required with the factors that are not email, and refuses the email factor', async () => {
      const customer = await enrolledCustomer(ctx);
      const body = await startReset(await requestReset(ctx, customer.email));
      expect(body).toMatchObject({ status: 'mfa_required', mfaToken: expect.any(String), expiresAt: expect.any(String), defaultFactorId: customer.totpFactorId });
      expect(body.factors.map((f: { id: string }) => f.id)).toEqual([customer.totpFactorId]);

      const challenge = await ctx.http.post('/auth/mfa/challenge').send({ mfaToken: body.mfaToken, factorId: customer.emailFactorId }).expect(404);
      expect(challenge.body.code).toBe('factor_not_found');
      const verify = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: body.mfaToken, factorId: customer.emailFactorId, code: '123456', newPassword: NEW_PASSWORD });
      expect(verify.status).toBe(404);
      await ctx.http.post('/auth/mfa/challenge').send({ mfaToken: body.mfaToken, factorId: customer.totpFactorId }).expect(200);
    });

    it('refuses an unknown, replaced or expired token with reset_token_invalid', async () => {
      const customer = await enrolledCustomer(ctx);
      const bad = await ctx.http.post('/auth/password/reset').send({ resetToken: 'prt_not-a-token' }).expect(401);
      expect(bad.body.code).toBe('reset_token_invalid');

      const first = await requestReset(ctx, customer.email);
      const second = await requestReset(ctx, customer.email);
      expect((await ctx.http.post('/auth/password/reset').send({ resetToken: first }).expect(401)).body.code).toBe('reset_token_invalid');
      await startReset(second);

      ctx.clock.advance(1801);
      try {
        expect((await ctx.http.post('/auth/password/reset').send({ resetToken: second }).expect(401)).body.code).toBe('reset_token_invalid');
      } finally {
        ctx.clock.advance(-1801);
      }
    });

    it('refuses (409 reset_unavailable) an account with no second factor to prove, and changes nothing', async () => {
      const email = await register(ctx);
      const res = await ctx.http.post('/auth/password/reset').send({ resetToken: await requestReset(ctx, email) }).expect(409);
      expect(res.body.code).toBe('reset_unavailable');
      expect(await loginStatus(email, PASSWORD)).toBe(200);
    });
  });

  describe('finishing at POST /auth/mfa/verify', () => {
    it('changes the password, spends the token, ends every other login, notifies and audits', async () => {
      const customer = await enrolledCustomer(ctx);
      const id = await customerId(ctx, customer.email);
      // A sign-in half-way through with the old password, and a second reset challenge.
      const pending = await login(ctx, customer.email);
      const { mfaToken } = await startReset(await requestReset(ctx, customer.email));
      nextTotpStep(ctx);
      const res = await resetWithTotp(customer, mfaToken).expect(200);
      const stale = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: pending.mfaToken, recoveryCode: customer.recoveryCodes[5] }).expect(401);
      expect(stale.body.code).toBe('mfa_token_invalid');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({ tokenType: 'Bearer', scope: 'session', setupRequired: [], method: 'totp', accessToken: expect.any(String), refreshToken: expect.any(String) });

      expect(await loginStatus(customer.email, PASSWORD)).toBe(401);
      expect(await loginStatus(customer.email, NEW_PASSWORD)).toBe(200);
      // The login from before the reset is over; the reset's own works.
      await ctx.http.get('/me').set(bearer(customer.accessToken)).expect(401);
      expect((await ctx.http.post('/auth/refresh').send({ refreshToken: customer.refreshToken })).status).toBe(401);
      await ctx.http.get('/me').set(bearer(res.body.accessToken)).expect(200);

      await noticeTo(ctx, customer.email, 'Your password was reset');
      const [event] = await auditEvents(ctx, id, 'password.reset');
      expect(event).toMatchObject({ actor_type: 'customer', data: { method: 'totp' } });
      // Nothing secret in the trail.
      const all = JSON.stringify(await database(ctx).query(`SELECT data FROM audit_events WHERE subject_id = $1`, [id]));
      expect(all).not.toContain(NEW_PASSWORD);
    });

    it('cannot be used twice', async () => {
      const customer = await enrolledCustomer(ctx);
      const token = await requestReset(ctx, customer.email);
      const [a, b] = [await startReset(token), await startReset(token)];
      nextTotpStep(ctx);
      await resetWithTotp(customer, a.mfaToken).expect(200);
      expect((await ctx.http.post('/auth/password/reset').send({ resetToken: token }).expect(401)).body.code).toBe('reset_token_invalid');
      // A second challenge started before the use ended with the reset (as every pending sign-in does).
      const late = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: b.mfaToken, recoveryCode: customer.recoveryCodes[0], newPassword: 'yet another passphrase 7' });
      expect(late.status).toBe(401);
      expect(late.body.code).toBe('mfa_token_invalid');
      expect(await loginStatus(customer.email, NEW_PASSWORD)).toBe(200);
      expect(await loginStatus(customer.email, 'yet another passphrase 7')).toBe(401);
    });

    it('refuses a challenge whose token a newer request replaced, and gives its answer back', async () => {
      const customer = await enrolledCustomer(ctx);
      const { mfaToken } = await startReset(await requestReset(ctx, customer.email));
      const fresh = await requestReset(ctx, customer.email);
      const answer = { mfaToken, recoveryCode: customer.recoveryCodes[0], newPassword: NEW_PASSWORD };
      expect((await ctx.http.post('/auth/mfa/verify').send(answer).expect(401)).body.code).toBe('reset_token_invalid');
      expect(await loginStatus(customer.email, NEW_PASSWORD)).toBe(401);
      // The recovery code came back with the rollback: it finishes the reset from the newer link.
      const next = await startReset(fresh);
      expect(next.recoveryCodesRemaining).toBe(10);
      await ctx.http.post('/auth/mfa/verify').send({ ...answer, mfaToken: next.mfaToken }).expect(200);
    });

    it('checks newPassword against the policy before the code is spent', async () => {
      const customer = await enrolledCustomer(ctx);
      const { mfaToken } = await startReset(await requestReset(ctx, customer.email));
      nextTotpStep(ctx);
      const weak = await resetWithTotp(customer, mfaToken, { newPassword: 'password1234' }).expect(400);
      expect(weak.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ field: 'newPassword' })] });
      const missing = await resetWithTotp(customer, mfaToken, {}).expect(400);
      expect(missing.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ field: 'newPassword' })] });
      // The same TOTP code still works: neither refusal spent it.
      await resetWithTotp(customer, mfaToken).expect(200);
    });

    it('never changes a password with a sign-in mfaToken', async () => {
      const customer = await enrolledCustomer(ctx);
      nextTotpStep(ctx);
      const { mfaToken } = await login(ctx, customer.email);
      const res = await resetWithTotp(customer, mfaToken).expect(400);
      expect(res.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ field: 'newPassword' })] });
      expect(await loginStatus(customer.email, NEW_PASSWORD)).toBe(401);
      // Nothing spent: the sign-in goes on with the same code.
      await resetWithTotp(customer, mfaToken, {}).expect(200);
      // A dead mfaToken is just that, with or without newPassword.
      const dead = await resetWithTotp(customer, mfaToken).expect(401);
      expect(dead.body.code).toBe('mfa_token_invalid');
    });

    it('works with a text message: the code is sent to the phone, not the inbox', async () => {
      const email = await register(ctx);
      const phone = `+4479111${String(Date.now() % 100_000).padStart(5, '0')}`;
      const { accessToken } = await login(ctx, email);
      const sms = await ctx.http.post('/me/factors').set(bearer(accessToken)).send({ type: 'sms', role: 'primary', phone }).expect(201);
      await ctx.http.post(`/me/factors/${sms.body.factor.id}/verify`).set(bearer(accessToken)).send({ code: await ctx.twilio.codeFor(phone) }).expect(200);
      const mail = await ctx.http.post('/me/factors').set(bearer(accessToken)).send({ type: 'email', role: 'secondary' }).expect(201);
      await ctx.http.post(`/me/factors/${mail.body.factor.id}/verify`).set(bearer(accessToken)).send({ code: await ctx.smtp.codeFor(email) }).expect(200);

      const { mfaToken, factors } = await startReset(await requestReset(ctx, email));
      expect(factors.map((f: { type: string }) => f.type)).toEqual(['sms']);
      const sent = await ctx.http.post('/auth/mfa/challenge').send({ mfaToken, factorId: sms.body.factor.id }).expect(202);
      expect(sent.body).toMatchObject({ type: 'sms', sentTo: expect.any(String) });
      const res = await ctx.http
        .post('/auth/mfa/verify')
        .send({ mfaToken, factorId: sms.body.factor.id, code: await ctx.twilio.codeFor(phone), newPassword: NEW_PASSWORD })
        .expect(200);
      expect(res.body.method).toBe('sms');
      expect(await loginStatus(email, NEW_PASSWORD)).toBe(200);
    });

    it('accepts a recovery code', async () => {
      const customer = await enrolledCustomer(ctx);
      const { mfaToken } = await startReset(await requestReset(ctx, customer.email));
      const res = await ctx.http.post('/auth/mfa/verify').send({ mfaToken, recoveryCode: customer.recoveryCodes[1], newPassword: NEW_PASSWORD }).expect(200);
      expect(res.body).toMatchObject({ method: 'recovery_code', recoveryCodesRemaining: 9 });
      expect(await loginStatus(customer.email, NEW_PASSWORD)).toBe(200);
    });

    it('counts wrong codes toward the account lock, as at sign-in', async () => {
      const customer = await enrolledCustomer(ctx);
      const token = await requestReset(ctx, customer.email);
      const wrong = (mfaToken: string) => ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, code: '000000', newPassword: NEW_PASSWORD });
      const spare = await startReset(token);
      const statuses: number[] = [];
      for (let round = 0; round < 2; round++) {
        const { mfaToken } = await startReset(token);
        for (let i = 0; i < 5; i++) statuses.push((await wrong(mfaToken)).status);
      }
      // 10 failures (the default threshold) over two reset challenges: the last one locks the account.
      expect(statuses).toEqual([...Array(9).fill(401), 423]);
      // A reset challenge opened before the lock is refused too, and the refusal audited (not counted).
      expect((await wrong(spare.mfaToken)).body.code).toBe('mfa_locked');
      const refused = await auditEvents(ctx, await customerId(ctx, customer.email), 'mfa.refused');
      expect(refused.map((event) => event.data)).toEqual([{ reason: 'locked', method: 'totp', factorId: customer.totpFactorId }]);
      const locked = await ctx.http.post('/auth/login').send({ email: customer.email, password: PASSWORD }).expect(423);
      expect(locked.body.code).toBe('mfa_locked');
      expect(await loginStatus(customer.email, NEW_PASSWORD)).toBe(401);
    });
  });

  it('lets only one of two simultaneous uses of one token change the password', async () => {
    const customer = await enrolledCustomer(ctx);
    const token = await requestReset(ctx, customer.email);
    const [a, b] = await Promise.all([startReset(token), startReset(token)]);
    const passwords = ['first racing passphrase', 'second racing passphrase'];
    const results = await Promise.all(
      [a, b].map(({ mfaToken }, i) => ctx.http.post('/auth/mfa/verify').send({ mfaToken, recoveryCode: customer.recoveryCodes[2 + i], newPassword: passwords[i] })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    // The loser waited for the winner's lock and found its challenge ended (or, had it gone first, the token spent).
    expect(['mfa_token_invalid', 'reset_token_invalid']).toContain(results.find((r) => r.status === 401)!.body.code);
    const winner = results.findIndex((r) => r.status === 200);
    expect(await loginStatus(customer.email, passwords[winner])).toBe(200);
    expect(await loginStatus(customer.email, passwords[1 - winner])).toBe(401);
    // The loser's recovery code was given back with the rest of its transaction.
    const overview = await ctx.http.get('/me/recovery-codes').set(bearer(results[winner].body.accessToken)).expect(200);
    expect(overview.body.remaining).toBe(9);
  });

  it('is described in the OpenAPI document', async () => {
    const { body } = await ctx.http.get('/docs-json').expect(200);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/auth/password/forgot', '/auth/password/reset']));
    const verify = body.paths['/auth/mfa/verify'].post.requestBody.content['application/json'].schema.$ref.split('/').pop();
    expect(Object.keys(body.components.schemas[verify].properties)).toEqual(expect.arrayContaining(['newPassword', 'rememberDevice']));
    expect(body.paths['/auth/password/reset'].post.responses['401'].description).toContain('reset_token_invalid');
  });
});
