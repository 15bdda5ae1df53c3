import { DataSource } from 'typeorm';
import { ResetRunner } from '../src/resets/reset-runner.service';
import { REASON, SignedInStaff, signedInStaff, staffSignIn } from './support/admin-journeys';
import { bearer, enrolledCustomer, EnrolledCustomer, login, signInWithTotp } from './support/journeys';
import { OffsetClock } from './support/offset-clock';
import { startTestApp, TestContext } from './support/test-app';

// Shorter than the staff tokens (15 min), so a test can wait out the delay and keep its staff signed in.
const DELAY = 600;
const CANCEL_TOKEN = /\brc_[0-9a-f]{64}\b/;
const withPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

/**
 * The contract's "Support-reset guardrails": a whole reset needs a second supervisor, waits a delay the
 * customer can use to stop it (signed in, or with the notice's cancel code), runs once on time, and every
 * step is audited.
 */
describe('Support-reset guardrails', () => {
  let ctx: TestContext;
  let agent: SignedInStaff;
  let requester: SignedInStaff;
  let approver: SignedInStaff;
  const as = (staff: SignedInStaff) => bearer(staff.accessToken);

  beforeAll(async () => {
    ctx = await startTestApp({ SUPPORT_RESET_DELAY_SECONDS: String(DELAY) });
    agent = await signedInStaff(ctx, 'agent');
    requester = await signedInStaff(ctx, 'supervisor');
    approver = await signedInStaff(ctx, 'supervisor');
  }, 90_000); // the embedded database's first boot is slow on a loaded machine
  afterAll(() => ctx?.close());
  // Each test starts at real time: within one, the clock moves less than a staff token lives.
  afterEach(() => ctx.clock.reset());

  async function customerWithSms(): Promise<EnrolledCustomer & { id: string; phone: string; smsFactorId: string }> {
    const customer = await enrolledCustomer(ctx);
    const phone = `+4479111${String(Math.floor(Math.random() * 100_000)).padStart(5, '0')}`;
    const sms = await ctx.http.post('/me/factors').set(bearer(customer.accessToken)).send({ type: 'sms', role: 'secondary', phone }).expect(201);
    await ctx.http.post(`/me/factors/${sms.body.factor.id}/verify`).set(bearer(customer.accessToken)).send({ code: await ctx.twilio.codeFor(phone) }).expect(200);
    const found = await ctx.http.get('/admin/customers').query({ filter: JSON.stringify({ q: customer.email }) }).set(as(agent)).expect(200);
    return { ...customer, id: found.body[0].id, phone, smsFactorId: sms.body.factor.id };
  }

  const requestReset = (customerId: string, by = requester) =>
    ctx.http.post(`/admin/customers/${customerId}/reset-mfa`).set(as(by)).send({ reason: REASON, verification: 'callback_to_number_on_file' });

  async function scheduled(customerId: string) {
    const requested = await requestReset(customerId).expect(202);
    const approved = await ctx.http.post(`/admin/resets/${requested.body.id}/approve`).set(as(approver)).expect(200);
    return approved.body as { id: string; executesAt: string; status: string };
  }

  async function auditTypes(customerId: string): Promise<string[]> {
    const res = await ctx.http.get('/admin/audit-events').query({ filter: JSON.stringify({ subjectId: customerId }), sort: '["at","ASC"]', range: '[0,199]' }).set(as(agent)).expect(200);
    return res.body.map((event: { type: string }) => event.type);
  }

  it('makes reset-mfa a request (202) that changes nothing until a second supervisor approves it', async () => {
    const customer = await customerWithSms();
    const res = await requestReset(customer.id).expect(202);
    expect(res.body).toEqual(expect.objectContaining({
      id: expect.any(String), customerId: customer.id, requestedBy: requester.id, approvedBy: null, reason: REASON,
      verification: 'callback_to_number_on_file', createdAt: expect.any(String), approvedAt: null, executesAt: null, status: 'awaiting_approval',
    }));
    // Nothing changed: the customer still signs in with their factors, and their session lives.
    await ctx.http.get('/me').set(bearer(customer.accessToken)).expect(200);
    expect(await login(ctx, customer.email)).toMatchObject({ status: 'mfa_required' });

    // One open request per customer; the requester cannot approve it; an agent cannot at all.
    expect((await requestReset(customer.id, approver).expect(409)).body.code).toBe('reset_already_pending');
    expect((await ctx.http.post(`/admin/resets/${res.body.id}/approve`).set(as(requester)).expect(403)).body.code).toBe('four_eyes_required');
    expect((await ctx.http.post(`/admin/resets/${res.body.id}/approve`).set(as(agent)).expect(403)).body.code).toBe('forbidden');
    const still = await ctx.http.get(`/admin/resets/${res.body.id}`).set(as(agent)).expect(200);
    expect(still.body.status).toBe('awaiting_approval');
    expect(await auditTypes(customer.id)).toEqual(expect.arrayContaining(['support_reset.requested', 'support.identity_verified']));
  });

  it('schedules an approved reset after the delay and tells the customer by email and SMS how to stop it', async () => {
    const customer = await customerWithSms();
    const before = ctx.clock.now().getTime();
    const approved = await scheduled(customer.id);
    expect(approved).toMatchObject({ status: 'scheduled', approvedBy: approver.id, requestedBy: requester.id });
    const delayMs = new Date(approved.executesAt).getTime() - before;
    expect(delayMs).toBeGreaterThanOrEqual(DELAY * 1000);
    expect(delayMs).toBeLessThan((DELAY + 60) * 1000);

    const mail = await ctx.smtp.waitFor((m) => m.to.includes(customer.email) && /reset/i.test(m.subject ?? ''));
    const sms = await ctx.twilio.waitFor((m) => m.to === customer.phone && /reset/i.test(m.body));
    const token = CANCEL_TOKEN.exec(mail.text ?? '')![0];
    expect(sms.body).toContain(token);
    expect(mail.text).toContain('/account/');
    // The code never travels in a URL.
    expect(mail.text).not.toMatch(/[?&#=]rc_/);
    // The token is stored only as a hash.
    const [row] = await ctx.app.get(DataSource).query(`SELECT cancel_token_hash FROM support_resets WHERE id = $1`, [approved.id]);
    expect(row.cancel_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.cancel_token_hash).not.toContain(token.slice(3));

    // The customer's own session shows it.
    const me = await ctx.http.get('/me').set(bearer(customer.accessToken)).expect(200);
    expect(me.body.pendingReset).toEqual({ id: approved.id, status: 'scheduled', executesAt: approved.executesAt });
    await ctx.http.post(`/admin/resets/${approved.id}/approve`).set(as(approver)).expect(409);
  });

  it('lets the customer, signed in with a factor they still have, cancel it', async () => {
    const customer = await customerWithSms();
    const approved = await scheduled(customer.id);
    const mail = await ctx.smtp.waitFor((m) => m.to.includes(customer.email) && /reset/i.test(m.subject ?? ''));
    const token = CANCEL_TOKEN.exec(mail.text ?? '')![0];

    const session = await signInWithTotp(ctx, customer);
    const res = await ctx.http.post('/me/pending-reset/cancel').set(bearer(session.accessToken)).expect(200);
    expect(res.body).toMatchObject({ id: approved.id, status: 'cancelled' });
    expect((await ctx.http.get('/me').set(bearer(session.accessToken)).expect(200)).body.pendingReset).toBeNull();
    expect((await ctx.http.post('/me/pending-reset/cancel').set(bearer(session.accessToken)).expect(404)).body.code).toBe('no_pending_reset');
    // The notice's token died with it.
    expect((await ctx.http.post('/auth/reset-cancel').send({ cancelToken: token }).expect(401)).body.code).toBe('cancel_token_invalid');

    const seen = await ctx.http.get(`/admin/resets/${approved.id}`).set(as(agent)).expect(200);
    expect(seen.body).toMatchObject({ status: 'cancelled', cancelledBy: { type: 'customer', id: customer.id, via: 'session' } });
    // Its time passes and nothing happens.
    ctx.clock.advance(DELAY + 1);
    await ctx.app.get(ResetRunner).runDue();
    expect(await login(ctx, customer.email)).toMatchObject({ status: 'mfa_required' });
    const events = await auditTypes(customer.id);
    expect(events).toContain('support_reset.cancelled');
    expect(events).not.toContain('mfa.reset');
  });

  it('lets the customer cancel with the one-time code from the notice, once', async () => {
    const customer = await customerWithSms();
    const approved = await scheduled(customer.id);
    const sms = await ctx.twilio.waitFor((m) => m.to === customer.phone && /reset/i.test(m.body));
    const token = CANCEL_TOKEN.exec(sms.body)![0];

    expect((await ctx.http.post('/auth/reset-cancel').send({ cancelToken: `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}` }).expect(401)).body.code).toBe('cancel_token_invalid');
    expect((await ctx.http.post('/auth/reset-cancel').send({}).expect(400)).body.code).toBe('validation_failed');
    const res = await ctx.http.post('/auth/reset-cancel').send({ cancelToken: token }).expect(200);
    expect(res.body).toMatchObject({ id: approved.id, status: 'cancelled' });
    expect((await ctx.http.post('/auth/reset-cancel').send({ cancelToken: token }).expect(401)).body.code).toBe('cancel_token_invalid');
    const seen = await ctx.http.get(`/admin/resets/${approved.id}`).set(as(agent)).expect(200);
    expect(seen.body.cancelledBy).toEqual({ type: 'customer', id: customer.id, via: 'cancel_token' });
  });

  it('lets a supervisor cancel with a reason, and refuses a second approval or cancel', async () => {
    const customer = await customerWithSms();
    const requested = await requestReset(customer.id).expect(202);
    expect((await ctx.http.post(`/admin/resets/${requested.body.id}/cancel`).set(as(approver)).send({}).expect(400)).body.code).toBe('validation_failed');
    await ctx.http.post(`/admin/resets/${requested.body.id}/cancel`).set(as(agent)).send({ reason: 'Caller could not answer the questions' }).expect(403);
    const res = await ctx.http.post(`/admin/resets/${requested.body.id}/cancel`).set(as(approver)).send({ reason: 'Caller could not answer the questions' }).expect(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelReason: 'Caller could not answer the questions', cancelledBy: { type: 'staff', id: approver.id } });
    expect((await ctx.http.post(`/admin/resets/${requested.body.id}/approve`).set(as(approver)).expect(409)).body.code).toBe('reset_not_awaiting_approval');
    expect((await ctx.http.post(`/admin/resets/${requested.body.id}/cancel`).set(as(approver)).send({ reason: 'Once more, to be sure' }).expect(409)).body.code).toBe('reset_not_cancellable');
    // A new request is possible again.
    await requestReset(customer.id).expect(202);
    await ctx.http.post(`/admin/resets/00000000-0000-4000-8000-000000000000/approve`).set(as(approver)).expect(404);
    expect((await ctx.http.get('/admin/resets/not-a-uuid').set(as(agent)).expect(404)).body.code).toBe('reset_not_found');
  });

  it('runs a scheduled reset on time, exactly once: factors, recovery codes and logins gone, audited, customer told', async () => {
    const customer = await customerWithSms();
    const approved = await scheduled(customer.id);
    const runner = ctx.app.get(ResetRunner);

    ctx.clock.advance(DELAY - 5);
    await runner.runDue();
    expect((await ctx.http.get(`/admin/resets/${approved.id}`).set(as(agent)).expect(200)).body.status).toBe('scheduled');

    ctx.smtp.clear();
    ctx.clock.advance(10);
    const first = await runner.runDue();
    expect(first.executed).toBeGreaterThanOrEqual(1);
    expect((await runner.runDue()).executed).toBe(0);

    const done = await ctx.http.get(`/admin/resets/${approved.id}`).set(as(agent)).expect(200);
    expect(done.body).toMatchObject({ status: 'executed', executedAt: expect.any(String) });
    const detail = await ctx.http.get(`/admin/customers/${customer.id}`).set(as(agent)).expect(200);
    expect(detail.body).toMatchObject({ factors: [], recoveryCodesRemaining: 0, mfaComplete: false });
    await ctx.http.get('/me').set(bearer(customer.accessToken)).expect(401);
    expect(await login(ctx, customer.email)).toMatchObject({ status: 'mfa_setup_required' });
    await ctx.smtp.waitFor((m) => m.to.includes(customer.email) && /was reset/i.test(m.subject ?? ''));

    const events = await auditTypes(customer.id);
    for (const type of ['support_reset.requested', 'support_reset.approved', 'mfa.reset', 'support_reset.executed']) {
      expect(events.filter((event) => event === type)).toHaveLength(1);
    }
    expect(events.indexOf('support_reset.approved')).toBeLessThan(events.indexOf('mfa.reset'));
    const verify = await ctx.http.get('/admin/audit-events/verify').set(as(approver)).expect(200);
    expect(verify.body.valid).toBe(true);
  });

  it('expires a request not approved within 24 hours', async () => {
    const customer = await customerWithSms();
    const requested = await requestReset(customer.id).expect(202);
    ctx.clock.advance(24 * 3600 + 1);
    // A day later the staff sign in again.
    const fresh = { ...approver, ...(await staffSignIn(ctx, approver)) };
    const listed = await ctx.http.get('/admin/resets').query({ filter: JSON.stringify({ status: 'expired', customerId: customer.id }) }).set(as(fresh)).expect(200);
    expect(listed.body.map((reset: { id: string }) => reset.id)).toEqual([requested.body.id]);
    expect((await ctx.http.post(`/admin/resets/${requested.body.id}/approve`).set(as(fresh)).expect(409)).body.code).toBe('reset_expired');
    expect((await ctx.http.get(`/admin/resets/${requested.body.id}`).set(as(fresh)).expect(200)).body.status).toBe('expired');
    const audit = await ctx.http.get('/admin/audit-events').query({ filter: JSON.stringify({ subjectId: customer.id, type: 'support_reset.expired' }) }).set(as(fresh)).expect(200);
    expect(audit.body).toHaveLength(1);
    // The customer may be reset afresh.
    await requestReset(customer.id, fresh).expect(202);
  });

  it('lists resets the simple-REST way, filtered by status and customer', async () => {
    const customer = await customerWithSms();
    const requested = await requestReset(customer.id).expect(202);
    const res = await ctx.http.get('/admin/resets').query({ filter: JSON.stringify({ status: 'awaiting_approval' }), range: '[0,99]', sort: '["createdAt","DESC"]' }).set(as(agent)).expect(200);
    expect(res.headers['content-range']).toMatch(/^resets 0-\d+\/\d+$/);
    expect(res.body.length).toBeGreaterThan(1);
    expect(res.body.every((reset: { status: string }) => reset.status === 'awaiting_approval')).toBe(true);
    const all = await ctx.http.get('/admin/resets').set(as(agent)).expect(200);
    expect(all.headers['content-range']).toMatch(/^resets 0-\d+\/\d+$/);
    const mine = await ctx.http.get('/admin/resets').query({ filter: JSON.stringify({ customerId: customer.id }) }).set(as(agent)).expect(200);
    expect(mine.headers['content-range']).toBe('resets 0-0/1');
    expect(mine.body[0]).toMatchObject({ id: requested.body.id, customerEmail: customer.email, requestedByEmail: requester.email });
    expect((await ctx.http.get('/admin/resets').query({ filter: '{"status":"done"}' }).set(as(agent)).expect(400)).body.code).toBe('validation_failed');
    const docs = await ctx.http.get('/docs-json').expect(200);
    for (const path of ['/admin/resets', '/admin/resets/{id}', '/admin/resets/{id}/approve', '/admin/resets/{id}/cancel', '/me/pending-reset/cancel', '/auth/reset-cancel']) {
      expect(docs.body.paths[path]).toBeDefined();
    }
  });

  withPostgres('across instances and restarts (PostgreSQL)', () => {
    const keys = () => ({
      SUPPORT_RESET_DELAY_SECONDS: String(DELAY),
      JWT_PRIVATE_KEY: ctx.env.JWT_PRIVATE_KEY,
      FACTOR_ENCRYPTION_KEY: ctx.env.FACTOR_ENCRYPTION_KEY,
      CODE_HASH_KEY: ctx.env.CODE_HASH_KEY,
    });

    it('runs each due reset exactly once when two instances race for them', async () => {
      const customers = [];
      for (let i = 0; i < 6; i++) customers.push(await customerWithSms());
      const resets = [];
      for (const customer of customers) resets.push(await scheduled(customer.id));

      const clock = new OffsetClock();
      const other = await startTestApp(keys(), { database: ctx.database, clock });
      try {
        ctx.clock.advance(DELAY + 1);
        clock.advance(DELAY + 1 + 3600);
        const runs = await Promise.all([ctx.app.get(ResetRunner).runDue(), other.app.get(ResetRunner).runDue(), other.app.get(ResetRunner).runDue()]);
        expect(runs.reduce((sum, run) => sum + run.executed, 0)).toBeGreaterThanOrEqual(resets.length);

        const db = ctx.app.get(DataSource);
        const ids = resets.map((reset) => reset.id);
        const rows = (await db.query(`SELECT status FROM support_resets WHERE id = ANY($1::uuid[])`, [ids])) as { status: string }[];
        expect(rows.map((row) => row.status)).toEqual(Array(resets.length).fill('executed'));
        const counts = (await db.query(
          `SELECT type, count(*)::int AS n FROM audit_events WHERE subject_id = ANY($1::uuid[]) AND type IN ('mfa.reset', 'support_reset.executed') GROUP BY type`,
          [customers.map((customer) => customer.id)],
        )) as { type: string; n: number }[];
        expect(counts.sort((a, b) => a.type.localeCompare(b.type))).toEqual([
          { type: 'mfa.reset', n: resets.length },
          { type: 'support_reset.executed', n: resets.length },
        ]);
      } finally {
        await other.close();
      }
    });

    it('runs a reset that fell due while no instance was running at the next start', async () => {
      const first = await startTestApp(keys(), { database: ctx.database });
      const customer = await customerWithSms();
      const requested = await first.http.post(`/admin/customers/${customer.id}/reset-mfa`).set(as(requester)).send({ reason: REASON, verification: 'id_document' }).expect(202);
      await first.http.post(`/admin/resets/${requested.body.id}/approve`).set(as(approver)).expect(200);
      await first.close();

      // Down for longer than the delay; the next instance starts and catches up before serving.
      const clock = new OffsetClock();
      clock.advance(DELAY + 3600);
      const next = await startTestApp(keys(), { database: ctx.database, clock });
      try {
        const [row] = await next.app.get(DataSource).query(`SELECT status, executed_at FROM support_resets WHERE id = $1`, [requested.body.id]);
        expect(row.status).toBe('executed');
        expect(await login(next, customer.email)).toMatchObject({ status: 'mfa_setup_required' });
      } finally {
        await next.close();
      }
    });
  });
});
