import twilio from 'twilio';
import { DataSource } from 'typeorm';
import { SignedInStaff, signedInStaff } from './support/admin-journeys';
import { bearer, enrolledCustomer, EnrolledCustomer, login, register, signInWithTotp, uniqueEmail } from './support/journeys';
import { startTestApp, TestContext } from './support/test-app';
import { totp } from './support/totp';

const STATUS_URL = 'http://localhost:3000/webhooks/twilio/status';

/**
 * The contract's "Channel health": delivery outcomes (Twilio refusals and status callbacks, SMTP
 * permanent refusals) feed each SMS and email factor's health; failing or long-unused factors are
 * pointed out at sign-in and in GET /me/factors, re-confirmed with /check, and counted as at risk.
 */
describe('Channel health', () => {
  let ctx: TestContext;
  let agent: SignedInStaff;

  beforeAll(async () => {
    ctx = await startTestApp();
    agent = await signedInStaff(ctx, 'agent');
  }, 90_000); // the embedded database's first boot is slow on a loaded machine
  afterAll(() => ctx?.close());
  afterEach(() => ctx.clock.reset());

  type Customer = EnrolledCustomer & { id: string; phone: string; smsFactorId: string };

  async function customerWithSms(): Promise<Customer> {
    const customer = await enrolledCustomer(ctx);
    const phone = `+4479111${String(Math.floor(Math.random() * 100_000)).padStart(5, '0')}`;
    const sms = await ctx.http.post('/me/factors').set(bearer(customer.accessToken)).send({ type: 'sms', role: 'secondary', phone }).expect(201);
    await ctx.http.post(`/me/factors/${sms.body.factor.id}/verify`).set(bearer(customer.accessToken)).send({ code: await ctx.twilio.codeFor(phone) }).expect(200);
    return { ...customer, id: await customerId(customer.email), phone, smsFactorId: sms.body.factor.id };
  }

  async function customerId(email: string): Promise<string> {
    const found = await ctx.http.get('/admin/customers').query({ filter: JSON.stringify({ q: email }) }).set(bearer(agent.accessToken)).expect(200);
    return found.body[0].id;
  }

  /** Sends a code to an active factor (POST /check), waiting out the resend interval first. */
  async function check(token: string, factorId: string) {
    ctx.clock.advance(31);
    const res = await ctx.http.post(`/me/factors/${factorId}/check`).set(bearer(token)).expect(202);
    await ctx.flushDeliveries();
    return res.body as { expiresAt: string; resendAvailableAt: string };
  }

  async function factorOf(token: string, factorId: string) {
    const res = await ctx.http.get('/me/factors').set(bearer(token)).expect(200);
    return { factor: res.body.factors.find((f: { id: string }) => f.id === factorId), attention: res.body.attention };
  }

  async function atRisk(email: string): Promise<boolean> {
    const res = await ctx.http.get('/admin/customers').query({ filter: JSON.stringify({ q: email, atRisk: true }) }).set(bearer(agent.accessToken)).expect(200);
    return res.body.length === 1;
  }

  async function callback(sid: string, status: string) {
    const params = { MessageSid: sid, MessageStatus: status, AccountSid: ctx.twilio.accountSid };
    const signature = twilio.getExpectedTwilioSignature(ctx.twilio.authToken, STATUS_URL, params);
    await ctx.http.post('/webhooks/twilio/status').type('form').set('X-Twilio-Signature', signature).send(params).expect(204);
  }

  async function lastSid(factorId: string): Promise<string> {
    const [row] = await ctx.app.get(DataSource).query(
      `SELECT provider_id FROM message_deliveries WHERE factor_id = $1 AND provider_id IS NOT NULL ORDER BY created_at DESC LIMIT 1`,
      [factorId],
    );
    return row.provider_id;
  }

  it('marks an SMS channel failing after three refusals in a row, says so at sign-in, and a verified check heals it', async () => {
    const customer = await customerWithSms();
    const fresh = await factorOf(customer.accessToken, customer.smsFactorId);
    expect(fresh.factor.health).toMatchObject({ status: 'ok', failuresInRow: 0 });
    expect(fresh.attention).toEqual([]);
    expect(await atRisk(customer.email)).toBe(false);

    for (let i = 1; i <= 3; i++) {
      ctx.twilio.failNext();
      await check(customer.accessToken, customer.smsFactorId);
      const { factor } = await factorOf(customer.accessToken, customer.smsFactorId);
      expect(factor.health).toMatchObject({ status: i < 3 ? 'ok' : 'failing', failuresInRow: i, lastDeliveryStatus: 'failed', lastDeliveryAt: expect.any(String) });
    }
    const failing = await factorOf(customer.accessToken, customer.smsFactorId);
    expect(failing.attention).toEqual([{ factorId: customer.smsFactorId, reason: 'delivery_failing' }]);
    const signIn = await login(ctx, customer.email);
    expect(signIn.attention).toEqual([{ factorId: customer.smsFactorId, reason: 'delivery_failing' }]);
    expect(signIn.factors.find((f: { id: string }) => f.id === customer.smsFactorId).health.status).toBe('failing');

    // The back office sees it too: on the customer's page, in the at-risk filter and the dashboard.
    const detail = await ctx.http.get(`/admin/customers/${customer.id}`).set(bearer(agent.accessToken)).expect(200);
    expect(detail.body.factors.find((f: { id: string }) => f.id === customer.smsFactorId).health).toMatchObject({ status: 'failing', failuresInRow: 3 });
    expect(await atRisk(customer.email)).toBe(true);
    const stats = await ctx.http.get('/admin/stats').set(bearer(agent.accessToken)).expect(200);
    expect(stats.body.failingChannels.find((c: { channel: string }) => c.channel === 'sms').count).toBeGreaterThanOrEqual(1);
    expect(stats.body.atRisk).toBeGreaterThanOrEqual(1);

    // The customer re-confirms the number: a code arrives, verifying it makes the channel healthy.
    await check(customer.accessToken, customer.smsFactorId);
    const code = await ctx.twilio.codeFor(customer.phone);
    const verified = await ctx.http.post(`/me/factors/${customer.smsFactorId}/verify`).set(bearer(customer.accessToken)).send({ code }).expect(200);
    expect(verified.body.factor).toMatchObject({ id: customer.smsFactorId, status: 'active', health: { status: 'ok', failuresInRow: 0 } });
    expect(verified.body.attention).toEqual([]);
    expect(verified.body.recoveryCodes).toBeUndefined();
    expect(await atRisk(customer.email)).toBe(false);
    expect((await login(ctx, customer.email)).attention).toEqual([]);
  });

  it('counts Twilio undelivered callbacks once each; a delivered one makes the channel ok', async () => {
    const customer = await customerWithSms();
    const sids: string[] = [];
    for (let i = 0; i < 3; i++) {
      await check(customer.accessToken, customer.smsFactorId);
      sids.push(await lastSid(customer.smsFactorId));
    }
    expect(new Set(sids).size).toBe(3);
    await callback(sids[0], 'undelivered');
    // A repeated callback for the same message is not a second failure.
    await callback(sids[0], 'undelivered');
    await callback(sids[1], 'failed');
    expect((await factorOf(customer.accessToken, customer.smsFactorId)).factor.health).toMatchObject({ status: 'ok', failuresInRow: 2 });
    await callback(sids[2], 'undelivered');
    expect((await factorOf(customer.accessToken, customer.smsFactorId)).factor.health).toMatchObject({ status: 'failing', failuresInRow: 3, lastDeliveryStatus: 'failed' });

    await check(customer.accessToken, customer.smsFactorId);
    await callback(await lastSid(customer.smsFactorId), 'delivered');
    expect((await factorOf(customer.accessToken, customer.smsFactorId)).factor.health).toMatchObject({ status: 'ok', failuresInRow: 0, lastDeliveryStatus: 'delivered' });
  });

  it('marks an email channel failing after three permanent SMTP refusals', async () => {
    const customer = await enrolledCustomer(ctx);
    // The set-up notices go first, so each refusal below meets a code message.
    await ctx.smtp.waitFor((m) => m.to.includes(customer.email) && /added/.test(m.subject ?? '') && /email/.test(m.text ?? ''));
    await ctx.flushDeliveries();
    for (let i = 0; i < 3; i++) {
      ctx.smtp.rejectNext({ responseCode: 550, message: 'Mailbox unavailable' });
      await check(customer.accessToken, customer.emailFactorId);
    }
    const { factor, attention } = await factorOf(customer.accessToken, customer.emailFactorId);
    expect(factor.health).toMatchObject({ status: 'failing', failuresInRow: 3, lastDeliveryStatus: 'failed' });
    expect(attention).toEqual([{ factorId: customer.emailFactorId, reason: 'delivery_failing' }]);
    // TOTP has no channel to fail.
    const totpFactor = (await factorOf(customer.accessToken, customer.totpFactorId)).factor;
    expect(totpFactor.health).toBeUndefined();
  });

  it('points out a secondary unused for STALE_FACTOR_DAYS; checking it marks it used', async () => {
    const customer = await enrolledCustomer(ctx);
    ctx.clock.advance(181 * 24 * 3600);
    const signIn = await login(ctx, customer.email);
    expect(signIn.attention).toEqual([{ factorId: customer.emailFactorId, reason: 'not_used_recently' }]);
    const session = await signInWithTotp(ctx, customer);
    expect((await factorOf(session.accessToken, customer.emailFactorId)).attention).toEqual([{ factorId: customer.emailFactorId, reason: 'not_used_recently' }]);

    await check(session.accessToken, customer.emailFactorId);
    // A wrong code counts toward the account's lock, as at sign-in.
    const wrong = await ctx.http.post(`/me/factors/${customer.emailFactorId}/verify`).set(bearer(session.accessToken)).send({ code: '000000' }).expect(401);
    expect(wrong.body).toMatchObject({ code: 'invalid_code', attemptsRemaining: expect.any(Number) });
    const code = await ctx.smtp.codeFor(customer.email);
    const ok = await ctx.http.post(`/me/factors/${customer.emailFactorId}/verify`).set(bearer(session.accessToken)).send({ code }).expect(200);
    expect(new Date(ok.body.factor.lastUsedAt).getTime()).toBeGreaterThan(Date.now() + 180 * 24 * 3600_000);
    expect(ok.body.attention).toEqual([]);
    // Read from the database: the agent's token did not survive the jump in time.
    const events = await ctx.app.get(DataSource).query(
      `SELECT type FROM audit_events e JOIN customers c ON c.id = e.subject_id WHERE c.email = $1 AND e.type IN ('factor.checked', 'mfa.failed') ORDER BY e.at`,
      [customer.email],
    );
    expect(events.map((e: { type: string }) => e.type)).toEqual(['mfa.failed', 'factor.checked']);
  });

  it('re-confirms an authenticator app without sending anything', async () => {
    const customer = await enrolledCustomer(ctx);
    const res = await ctx.http.post(`/me/factors/${customer.totpFactorId}/check`).set(bearer(customer.accessToken)).expect(202);
    expect(res.body).toEqual({});
    ctx.clock.advance(30);
    const ok = await ctx.http.post(`/me/factors/${customer.totpFactorId}/verify`).set(bearer(customer.accessToken)).send({ code: totp(customer.totpSecret, ctx.clock.now()) }).expect(200);
    expect(ok.body.factor).toMatchObject({ id: customer.totpFactorId, status: 'active' });
    await ctx.http.post('/me/factors/00000000-0000-4000-8000-000000000000/check').set(bearer(customer.accessToken)).expect(404);
  });

  it('counts customers with a single factor as at risk, and not those with two working ones', async () => {
    const single = await register(ctx, uniqueEmail('single'));
    const { accessToken } = await login(ctx, single);
    const enrolled = await ctx.http.post('/me/factors').set(bearer(accessToken)).send({ type: 'totp', role: 'primary' }).expect(201);
    await ctx.http.post(`/me/factors/${enrolled.body.factor.id}/verify`).set(bearer(accessToken)).send({ code: totp(enrolled.body.secret, ctx.clock.now()) }).expect(200);
    const healthy = await enrolledCustomer(ctx);
    const nobody = await register(ctx, uniqueEmail('nofactor'));
    expect(await atRisk(single)).toBe(true);
    expect(await atRisk(healthy.email)).toBe(false);
    expect(await atRisk(nobody)).toBe(false);
    const notAtRisk = await ctx.http.get('/admin/customers').query({ filter: JSON.stringify({ q: healthy.email, atRisk: false }) }).set(bearer(agent.accessToken)).expect(200);
    expect(notAtRisk.body).toHaveLength(1);
  });
});
