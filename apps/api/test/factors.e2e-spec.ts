import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  bearer, currentTotp, enrolledCustomer, login, nextTotpStep, PASSWORD, register, signInWithTotp, uniqueEmail,
} from './support/journeys';
import { database } from './support/account-recovery';
import { startTestApp, TestContext } from './support/test-app';

describe('Second factors: enrolment, sign-in and management', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx?.close());
  afterEach(() => ctx.clock.reset());

  describe('setting up', () => {
    it('takes a new customer from password to a full session: TOTP primary, then email secondary', async () => {
      const email = await register(ctx);
      const { accessToken } = await login(ctx, email);
      const auth = bearer(accessToken);

      const totpRes = await ctx.http.post('/me/factors').set(auth).send({ type: 'totp', role: 'primary' }).expect(201);
      expect(totpRes.headers['cache-control']).toBe('no-store');
      expect(totpRes.body.factor).toMatchObject({ type: 'totp', role: 'primary', status: 'pending', hint: 'Authenticator app' });
      expect(totpRes.body.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(totpRes.body.otpauthUrl).toBe(
        `otpauth://totp/Twofold:${encodeURIComponent(email)}?secret=${totpRes.body.secret}&issuer=Twofold&algorithm=SHA1&digits=6&period=30`,
      );
      expect(totpRes.body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);

      // The code comes from Debian's oathtool when present: an implementation the server has never seen.
      const code = existsSync('/usr/bin/oathtool')
        ? execFileSync('/usr/bin/oathtool', ['--totp', '-b', totpRes.body.secret, '--now', ctx.clock.now().toISOString().replace('T', ' ').slice(0, 19) + ' UTC']).toString().trim()
        : currentTotp(ctx, totpRes.body.secret);
      const first = await ctx.http.post(`/me/factors/${totpRes.body.factor.id}/verify`).set(auth).send({ code }).expect(200);
      expect(first.body).toMatchObject({ complete: false, setupRequired: ['secondary'], factor: { status: 'active', role: 'primary' } });
      expect(first.body.recoveryCodes).toHaveLength(10);
      for (const recovery of first.body.recoveryCodes) expect(recovery).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      expect(first.body.tokens).toBeUndefined();

      const emailRes = await ctx.http.post('/me/factors').set(auth).send({ type: 'email', role: 'secondary' }).expect(201);
      expect(emailRes.body).toMatchObject({ sentTo: expect.stringMatching(/^p•••@example\.com$/), expiresAt: expect.any(String), resendAvailableAt: expect.any(String) });
      const emailCode = await ctx.smtp.codeFor(email);
      const done = await ctx.http.post(`/me/factors/${emailRes.body.factor.id}/verify`).set(auth).send({ code: emailCode }).expect(200);
      expect(done.body).toMatchObject({ complete: true, setupRequired: [] });
      expect(done.body.recoveryCodes).toBeUndefined();
      expect(done.body.tokens).toMatchObject({ scope: 'session', tokenType: 'Bearer', refreshToken: expect.any(String), setupRequired: [] });

      const overview = await ctx.http.get('/me/factors').set(bearer(done.body.tokens.accessToken)).expect(200);
      expect(overview.body).toMatchObject({
        complete: true,
        recoveryCodes: { remaining: 10, total: 10 },
        policy: { primaryTypes: ['totp', 'sms', 'passkey'], secondaryTypes: ['totp', 'sms', 'email', 'passkey'], secondaryRequired: true, recoveryCodeCount: 10 },
      });
      expect(overview.body.factors.map((f: { type: string; role: string }) => `${f.type}:${f.role}`)).toEqual(['totp:primary', 'email:secondary']);
      const activation = await ctx.smtp.waitFor((mail) => mail.to.includes(email) && /added/.test(mail.subject ?? ''));
      expect(activation.text).not.toMatch(/\b\d{6}\b/);
    });

    it('refuses email as a primary, a second primary and a second factor of a type', async () => {
      const customer = await enrolledCustomer(ctx);
      const auth = bearer(customer.accessToken);
      const emailPrimary = await ctx.http.post('/me/factors').set(auth).send({ type: 'email', role: 'primary' }).expect(422);
      expect(emailPrimary.body.code).toBe('email_not_allowed_as_primary');
      const secondPrimary = await ctx.http.post('/me/factors').set(auth).send({ type: 'sms', role: 'primary', phone: '07911123461' }).expect(409);
      expect(secondPrimary.body.code).toBe('primary_exists');
      const secondEmail = await ctx.http.post('/me/factors').set(auth).send({ type: 'email', role: 'secondary' }).expect(409);
      expect(secondEmail.body.code).toBe('factor_exists');
    });

    it('adds SMS with a national number, warns about SMS and sends the code through Twilio', async () => {
      const customer = await enrolledCustomer(ctx);
      const res = await ctx.http.post('/me/factors').set(bearer(customer.accessToken)).send({ type: 'sms', role: 'secondary', phone: '07911 123456' }).expect(201);
      expect(res.body).toMatchObject({ sentTo: '+44 ••••• ••456', riskNotice: expect.stringMatching(/intercept/) });
      const code = await ctx.twilio.codeFor('+447911123456');
      const sms = ctx.twilio.messages.at(-1)!;
      expect(sms).toMatchObject({ to: '+447911123456', from: '+15005550006' });
      const done = await ctx.http.post(`/me/factors/${res.body.factor.id}/verify`).set(bearer(customer.accessToken)).send({ code }).expect(200);
      expect(done.body.factors.map((f: { type: string }) => f.type).sort()).toEqual(['email', 'sms', 'totp']);
    });

    it('refuses an impossible phone number', async () => {
      const customer = await enrolledCustomer(ctx);
      const res = await ctx.http.post('/me/factors').set(bearer(customer.accessToken)).send({ type: 'sms', role: 'secondary', phone: '12345' }).expect(400);
      expect(res.body.code).toBe('invalid_phone');
    });

    it('answers a wrong enrolment code with invalid_code and attempts left, and a resend too soon with 429', async () => {
      const customer = await enrolledCustomer(ctx);
      const auth = bearer(customer.accessToken);
      const res = await ctx.http.post('/me/factors').set(auth).send({ type: 'sms', role: 'secondary', phone: '+447911123457' }).expect(201);
      const wrong = await ctx.http.post(`/me/factors/${res.body.factor.id}/verify`).set(auth).send({ code: '000000' }).expect(401);
      expect(wrong.body).toMatchObject({ code: 'invalid_code', attemptsRemaining: 4 });
      const tooSoon = await ctx.http.post(`/me/factors/${res.body.factor.id}/resend`).set(auth).expect(429);
      expect(tooSoon.body).toMatchObject({ code: 'resend_too_soon', retryAfter: expect.any(Number) });
      ctx.clock.advance(31);
      const resent = await ctx.http.post(`/me/factors/${res.body.factor.id}/resend`).set(auth).expect(202);
      expect(resent.body).toMatchObject({ expiresAt: expect.any(String), resendAvailableAt: expect.any(String) });
    });
  });

  describe('signing in', () => {
    it('signs in with the authenticator app and reports the method', async () => {
      const customer = await enrolledCustomer(ctx);
      nextTotpStep(ctx);
      const answer = await login(ctx, customer.email);
      expect(answer).toMatchObject({ status: 'mfa_required', defaultFactorId: customer.totpFactorId, recoveryCodesRemaining: 10 });
      expect(answer.factors.map((f: { role: string }) => f.role)).toEqual(['primary', 'secondary']);
      const chosen = await ctx.http.post('/auth/mfa/challenge').send({ mfaToken: answer.mfaToken, factorId: customer.totpFactorId }).expect(200);
      expect(chosen.body).toEqual({ factorId: customer.totpFactorId, type: 'totp' });
      const res = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) }).expect(200);
      expect(res.body).toMatchObject({ method: 'totp', scope: 'session', setupRequired: [] });
    });

    it('never accepts the same TOTP step twice', async () => {
      const customer = await enrolledCustomer(ctx);
      nextTotpStep(ctx);
      const code = currentTotp(ctx, customer.totpSecret);
      const first = await login(ctx, customer.email);
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken: first.mfaToken, factorId: customer.totpFactorId, code }).expect(200);
      const second = await login(ctx, customer.email);
      const replay = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: second.mfaToken, factorId: customer.totpFactorId, code }).expect(401);
      expect(replay.body.code).toBe('invalid_code');
    });

    it('signs in with an emailed code sent for this login only', async () => {
      const customer = await enrolledCustomer(ctx);
      const answer = await login(ctx, customer.email);
      const sent = await ctx.http.post('/auth/mfa/challenge').send({ mfaToken: answer.mfaToken, factorId: customer.emailFactorId }).expect(202);
      expect(sent.body).toMatchObject({ factorId: customer.emailFactorId, type: 'email', sentTo: expect.stringContaining('•••@example.com') });
      const code = await ctx.smtp.codeFor(customer.email);
      const other = await login(ctx, customer.email);
      const elsewhere = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: other.mfaToken, factorId: customer.emailFactorId, code });
      expect(elsewhere.status).toBe(401);
      const res = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, factorId: customer.emailFactorId, code }).expect(200);
      expect(res.body.method).toBe('email');
    });

    it('expires a sent code after OTP_TTL_SECONDS', async () => {
      const email = await register(ctx);
      const auth = bearer((await login(ctx, email)).accessToken);
      const res = await ctx.http.post('/me/factors').set(auth).send({ type: 'sms', role: 'primary', phone: '+447911123462' }).expect(201);
      const code = await ctx.twilio.codeFor('+447911123462');
      ctx.clock.advance(601);
      const late = await ctx.http.post(`/me/factors/${res.body.factor.id}/verify`).set(auth).send({ code }).expect(401);
      expect(late.body.code).toBe('code_expired');
    });

    it('lets the mfaToken die after MFA_TOKEN_TTL_SECONDS', async () => {
      const customer = await enrolledCustomer(ctx);
      const answer = await login(ctx, customer.email);
      ctx.clock.advance(301);
      const res = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) }).expect(401);
      expect(res.body.code).toBe('mfa_token_invalid');
    });

    it('answers code_expired once a newer code replaced the old one', async () => {
      const customer = await enrolledCustomer(ctx);
      const answer = await login(ctx, customer.email);
      await ctx.http.post('/auth/mfa/challenge').send({ mfaToken: answer.mfaToken, factorId: customer.emailFactorId }).expect(202);
      const oldCode = await ctx.smtp.codeFor(customer.email);
      const tooSoon = await ctx.http.post('/auth/mfa/challenge').send({ mfaToken: answer.mfaToken, factorId: customer.emailFactorId }).expect(429);
      expect(tooSoon.body.code).toBe('resend_too_soon');
      expect(Number(tooSoon.headers['retry-after'] ?? tooSoon.body.retryAfter)).toBeGreaterThan(0);
      ctx.clock.advance(31);
      await ctx.http.post('/auth/mfa/challenge').send({ mfaToken: answer.mfaToken, factorId: customer.emailFactorId }).expect(202);
      const newCode = await ctx.smtp.codeFor(customer.email);
      if (oldCode !== newCode) {
        const stale = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, factorId: customer.emailFactorId, code: oldCode }).expect(401);
        expect(stale.body.code).toBe('invalid_code');
      }
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, factorId: customer.emailFactorId, code: newCode }).expect(200);
    });

    it('signs in with a recovery code once, case- and hyphen-insensitively, and tells the customer', async () => {
      const customer = await enrolledCustomer(ctx);
      const recovery = customer.recoveryCodes[0];
      const sloppy = recovery.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
      const answer = await login(ctx, customer.email);
      const res = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, recoveryCode: sloppy }).expect(200);
      expect(res.body).toMatchObject({ method: 'recovery_code', recoveryCodesRemaining: 9 });
      const again = await login(ctx, customer.email);
      expect(again.recoveryCodesRemaining).toBe(9);
      const reuse = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: again.mfaToken, recoveryCode: recovery }).expect(401);
      expect(reuse.body.code).toBe('invalid_code');
      const notice = await ctx.smtp.waitFor((mail) => mail.to.includes(customer.email) && /recovery code was used/i.test(mail.subject ?? ''));
      expect(notice.text).toContain('Recovery codes left: 9');
    });

    it('kills an mfaToken after 5 wrong codes', async () => {
      const customer = await enrolledCustomer(ctx);
      const answer = await login(ctx, customer.email);
      const remaining: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, factorId: customer.totpFactorId, code: '000000' }).expect(401);
        remaining.push(res.body.attemptsRemaining);
      }
      expect(remaining).toEqual([4, 3, 2, 1, 0]);
      const dead = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret, 1) }).expect(401);
      expect(dead.body.code).toBe('mfa_token_invalid');
    });

    it('refuses an unknown mfaToken and a factor of another account', async () => {
      const customer = await enrolledCustomer(ctx);
      const stranger = await enrolledCustomer(ctx);
      const bad = await ctx.http.post('/auth/mfa/challenge').send({ mfaToken: 'mfa_nope', factorId: customer.totpFactorId }).expect(401);
      expect(bad.body.code).toBe('mfa_token_invalid');
      const answer = await login(ctx, customer.email);
      const foreign = await ctx.http.post('/auth/mfa/challenge').send({ mfaToken: answer.mfaToken, factorId: stranger.totpFactorId }).expect(404);
      expect(foreign.body.code).toBe('factor_not_found');
    });

    it('locks second-factor sign-in after 10 failures across logins, the same for right and wrong codes, and emails the customer', async () => {
      const customer = await enrolledCustomer(ctx);
      let mfaToken = '';
      let res = { status: 0, body: {} as Record<string, unknown> };
      for (let i = 0; i < 10; i++) {
        // A fresh login every 5 tries: a new mfaToken never buys new guesses.
        if (i % 5 === 0) mfaToken = (await login(ctx, customer.email)).mfaToken;
        res = await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, code: '000000' });
      }
      expect(res.status).toBe(423);
      expect(res.body).toMatchObject({ code: 'mfa_locked', retryAfter: 900 });

      const locked = await ctx.http.post('/auth/login').send({ email: customer.email, password: PASSWORD }).expect(423);
      expect(locked.body).toMatchObject({ code: 'mfa_locked', retryAfter: expect.any(Number) });
      const wrongPassword = await ctx.http.post('/auth/login').send({ email: customer.email, password: 'not the password!' }).expect(401);
      expect(wrongPassword.body.code).toBe('invalid_credentials');

      const notice = await ctx.smtp.waitFor((mail) => mail.to.includes(customer.email) && /locked/i.test(mail.subject ?? ''));
      expect(notice.text).not.toMatch(/\b\d{6}\b/);

      ctx.clock.advance(901);
      nextTotpStep(ctx);
      const answer = await login(ctx, customer.email);
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) }).expect(200);
    });

    it('doubles the lock on the next lockout', async () => {
      const customer = await enrolledCustomer(ctx);
      const failTen = async () => {
        let res;
        for (let i = 0; i < 10; i++) {
          const answer = await login(ctx, customer.email);
          res = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, factorId: customer.totpFactorId, code: '000000' });
        }
        return res!;
      };
      expect((await failTen()).body.retryAfter).toBe(900);
      ctx.clock.advance(901);
      expect((await failTen()).body.retryAfter).toBe(1800);
    });

    it('refuses answers while locked, right or wrong, auditing each attempt without counting it as a failure', async () => {
      const customer = await enrolledCustomer(ctx);
      // A sign-in opened before the lock: its token is still live once the account is locked.
      const [spare, ...guessing] = [await login(ctx, customer.email), await login(ctx, customer.email), await login(ctx, customer.email)];
      for (const { mfaToken } of guessing) {
        for (let i = 0; i < 5; i++) await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, code: '000000' });
      }
      nextTotpStep(ctx);
      const answers = [
        { factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) },
        { recoveryCode: customer.recoveryCodes[0] },
        { factorId: customer.totpFactorId, code: '000000' },
      ];
      for (const answer of answers) {
        const res = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: spare.mfaToken, ...answer }).expect(423);
        expect(res.body).toMatchObject({ code: 'mfa_locked', retryAfter: expect.any(Number) });
      }

      const events: { type: string; ip: string | null; data: Record<string, unknown> }[] = await database(ctx).query(
        `SELECT e.type, e.ip, e.data FROM audit_events e JOIN customers c ON c.id = e.subject_id
         WHERE c.email = $1 AND e.type IN ('mfa.failed', 'mfa.locked', 'mfa.refused') ORDER BY e.seq`,
        [customer.email],
      );
      expect(events.map((event) => event.type)).toEqual([...Array(10).fill('mfa.failed'), 'mfa.locked', 'mfa.refused', 'mfa.refused', 'mfa.refused']);
      expect(events.slice(-3).map((event) => event.data)).toEqual([
        { reason: 'locked', method: 'totp', factorId: customer.totpFactorId },
        { reason: 'locked', method: 'recovery_code', factorId: null },
        { reason: 'locked', method: 'totp', factorId: customer.totpFactorId },
      ]);
      expect(events.slice(-3).every((event) => typeof event.ip === 'string' && event.ip.length > 0)).toBe(true);
      // Nothing was spent: the recovery code still works once the lock is over.
      ctx.clock.advance(901);
      const after = await login(ctx, customer.email);
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken: after.mfaToken, recoveryCode: customer.recoveryCodes[0] }).expect(200);
    });
  });

  describe('managing factors', () => {
    it('swaps roles when a secondary is promoted', async () => {
      const customer = await enrolledCustomer(ctx);
      const auth = bearer(customer.accessToken);
      const sms = await ctx.http.post('/me/factors').set(auth).send({ type: 'sms', role: 'secondary', phone: '+447911123458' }).expect(201);
      await ctx.http.post(`/me/factors/${sms.body.factor.id}/verify`).set(auth).send({ code: await ctx.twilio.codeFor('+447911123458') }).expect(200);
      const res = await ctx.http.patch(`/me/factors/${sms.body.factor.id}`).set(auth).send({ role: 'primary' }).expect(200);
      const roles = Object.fromEntries(res.body.factors.map((f: { type: string; role: string }) => [f.type, f.role]));
      expect(roles).toEqual({ sms: 'primary', totp: 'secondary', email: 'secondary' });
      const emailPrimary = await ctx.http.patch(`/me/factors/${customer.emailFactorId}`).set(auth).send({ role: 'primary' }).expect(422);
      expect(emailPrimary.body.code).toBe('email_not_allowed_as_primary');
    });

    it('refuses to remove the last secondary or the primary', async () => {
      const customer = await enrolledCustomer(ctx);
      const auth = bearer(customer.accessToken);
      const lastSecondary = await ctx.http.delete(`/me/factors/${customer.emailFactorId}`).set(auth).expect(409);
      expect(lastSecondary.body.code).toBe('secondary_required');
      const primary = await ctx.http.delete(`/me/factors/${customer.totpFactorId}`).set(auth).expect(409);
      expect(primary.body.code).toBe('primary_required');
      const unknown = await ctx.http.delete('/me/factors/00000000-0000-4000-8000-000000000000').set(auth).expect(404);
      expect(unknown.body.code).toBe('factor_not_found');
    });

    it('removes a spare secondary and notifies the customer', async () => {
      const customer = await enrolledCustomer(ctx);
      const auth = bearer(customer.accessToken);
      const sms = await ctx.http.post('/me/factors').set(auth).send({ type: 'sms', role: 'secondary', phone: '+447911123459' }).expect(201);
      await ctx.http.post(`/me/factors/${sms.body.factor.id}/verify`).set(auth).send({ code: await ctx.twilio.codeFor('+447911123459') }).expect(200);
      await ctx.http.delete(`/me/factors/${customer.emailFactorId}`).set(auth).expect(204);
      const overview = await ctx.http.get('/me/factors').set(auth).expect(200);
      expect(overview.body.factors.map((f: { type: string }) => f.type).sort()).toEqual(['sms', 'totp']);
      await ctx.smtp.waitFor((mail) => mail.to.includes(customer.email) && /removed/.test(mail.subject ?? ''));
    });

    it('asks for a recent second factor before sensitive changes', async () => {
      const customer = await enrolledCustomer(ctx);
      ctx.clock.advance(601);
      const refreshed = await ctx.http.post('/auth/refresh').send({ refreshToken: customer.refreshToken }).expect(200);
      const auth = bearer(refreshed.body.accessToken);
      for (const res of [
        await ctx.http.post('/me/recovery-codes').set(auth),
        await ctx.http.patch(`/me/factors/${customer.emailFactorId}`).set(auth).send({ role: 'primary' }),
        await ctx.http.delete(`/me/factors/${customer.emailFactorId}`).set(auth),
        await ctx.http.post('/me/factors').set(auth).send({ type: 'sms', role: 'secondary', phone: '+447911123460' }),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('recent_mfa_required');
      }
    });

    it('lets a login prove a second factor again (step-up) instead of signing in anew', async () => {
      const customer = await enrolledCustomer(ctx);
      const stranger = await enrolledCustomer(ctx);
      ctx.clock.advance(601);
      const refreshed = await ctx.http.post('/auth/refresh').send({ refreshToken: customer.refreshToken }).expect(200);
      const auth = bearer(refreshed.body.accessToken);
      await ctx.http.post('/me/recovery-codes').set(auth).expect(403);

      // Another account's step-up token: refused for its subject and login, not merely for its purpose.
      const foreign = (await ctx.http.post('/me/step-up').set(bearer(stranger.accessToken)).expect(200)).body;
      nextTotpStep(ctx);
      const refused = await ctx.http
        .post('/me/step-up/verify')
        .set(auth)
        .send({ mfaToken: foreign.mfaToken, factorId: stranger.totpFactorId, code: currentTotp(ctx, stranger.totpSecret) })
        .expect(401);
      expect(refused.body.code).toBe('mfa_token_invalid');

      const stepUp = await ctx.http.post('/me/step-up').set(auth).expect(200);
      expect(stepUp.body).toMatchObject({ mfaToken: expect.any(String), defaultFactorId: customer.totpFactorId });
      // A step-up token cannot start a new session, and trying spends nothing.
      const asSignIn = await ctx.http
        .post('/auth/mfa/verify')
        .send({ mfaToken: stepUp.body.mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) })
        .expect(401);
      expect(asSignIn.body.code).toBe('mfa_token_invalid');
      await ctx.http
        .post('/me/step-up/verify')
        .set(auth)
        .send({ mfaToken: stepUp.body.mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) })
        .expect(200);
      await ctx.http.post('/me/recovery-codes').set(auth).expect(201);
    });

    it('regenerates recovery codes: the old set stops working', async () => {
      const customer = await enrolledCustomer(ctx);
      const res = await ctx.http.post('/me/recovery-codes').set(bearer(customer.accessToken)).expect(201);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({ codes: expect.any(Array), generatedAt: expect.any(String) });
      expect(res.body.codes).toHaveLength(10);
      const status = await ctx.http.get('/me/recovery-codes').set(bearer(customer.accessToken)).expect(200);
      expect(status.body).toMatchObject({ remaining: 10, total: 10 });
      const answer = await login(ctx, customer.email);
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, recoveryCode: customer.recoveryCodes[0] }).expect(401);
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, recoveryCode: res.body.codes[0] }).expect(200);
    });

    it('keeps a half-finished account asking for its secondary after sign-in, with an enroll login only', async () => {
      const email = uniqueEmail();
      await register(ctx, email);
      const { accessToken } = await login(ctx, email);
      const totpRes = await ctx.http.post('/me/factors').set(bearer(accessToken)).send({ type: 'totp', role: 'primary' }).expect(201);
      await ctx.http.post(`/me/factors/${totpRes.body.factor.id}/verify`).set(bearer(accessToken)).send({ code: currentTotp(ctx, totpRes.body.secret) }).expect(200);
      const session = await signInWithTotp(ctx, { email, totpFactorId: totpRes.body.factor.id, totpSecret: totpRes.body.secret } as never);
      expect(session).toMatchObject({ scope: 'enroll', setupRequired: ['secondary'] });
    });
  });
});
