import { DataSource } from 'typeorm';
import { bearer, currentTotp, enrolledCustomer, EnrolledCustomer, login, nextTotpStep, register, signInWithTotp, uniqueEmail } from './support/journeys';
import { approvedReset, REASON, SignedInStaff, signedInStaff } from './support/admin-journeys';
import { startTestApp, TestContext } from './support/test-app';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('Back office: customers, support actions, audit and stats', () => {
  let ctx: TestContext;
  let agent: SignedInStaff;
  let supervisor: SignedInStaff;
  let approver: SignedInStaff;
  const as = (staff: SignedInStaff) => bearer(staff.accessToken);

  beforeAll(async () => {
    // Resets run at approval here; their delay and four-eyes rule are tested in support-resets.e2e-spec.
    ctx = await startTestApp({ MFA_LOCK_THRESHOLD: '3', SUPPORT_RESET_DELAY_SECONDS: '0' });
    agent = await signedInStaff(ctx, 'agent');
    supervisor = await signedInStaff(ctx, 'supervisor');
    approver = await signedInStaff(ctx, 'supervisor');
  });
  afterAll(() => ctx?.close());
  afterEach(() => ctx.clock.reset());

  async function find(email: string) {
    const res = await ctx.http.get('/admin/customers').query({ filter: JSON.stringify({ q: email }) }).set(as(agent)).expect(200);
    expect(res.body).toHaveLength(1);
    return res.body[0] as { id: string } & Record<string, unknown>;
  }

  describe('list', () => {
    it('pages with range, reports the total in Content-Range and sorts', async () => {
      for (let i = 0; i < 3; i++) await register(ctx, uniqueEmail('paging'));
      const first = await ctx.http.get('/admin/customers').query({ sort: '["email","ASC"]', range: '[0,1]' }).set(as(agent)).expect(200);
      const total = Number(/^customers 0-1\/(\d+)$/.exec(first.headers['content-range'])?.[1]);
      expect(total).toBeGreaterThanOrEqual(3);
      expect(first.body).toHaveLength(2);
      const second = await ctx.http.get('/admin/customers').query({ sort: '["email","ASC"]', range: '[2,3]' }).set(as(agent)).expect(200);
      expect(second.headers['content-range']).toMatch(new RegExp(`^customers 2-\\d+/${total}$`));
      const emails = [...first.body, ...second.body].map((row: { email: string }) => row.email);
      expect([...emails].sort()).toEqual(emails);
      expect(new Set(emails).size).toBe(emails.length);
    });

    it('answers CustomerRow objects and filters on the setup', async () => {
      const complete = await enrolledCustomer(ctx);
      const fresh = await register(ctx, uniqueEmail('fresh'));
      const row = await find(complete.email);
      expect(row).toEqual({
        id: expect.any(String), email: complete.email, createdAt: expect.any(String), lastLoginAt: expect.any(String),
        mfaComplete: true, primaryType: 'totp', secondaryTypes: ['email'], recoveryCodesRemaining: 10, lockedUntil: null,
      });
      expect(await find(fresh)).toMatchObject({ mfaComplete: false, primaryType: null, secondaryTypes: [], recoveryCodesRemaining: 0 });

      const ids = async (filter: Record<string, unknown>) => {
        const res = await ctx.http.get('/admin/customers').query({ filter: JSON.stringify(filter), range: '[0,499]' }).set(as(agent)).expect(200);
        return res.body.map((r: { id: string }) => r.id) as string[];
      };
      const freshId = (await find(fresh)).id;
      expect(await ids({ mfaComplete: true })).toContain(row.id);
      expect(await ids({ mfaComplete: true })).not.toContain(freshId);
      expect(await ids({ mfaComplete: false })).toContain(freshId);
      expect(await ids({ primaryType: 'totp' })).toContain(row.id);
      expect(await ids({ primaryType: 'sms' })).not.toContain(row.id);
      expect(await ids({ missingSecondary: true })).not.toContain(row.id);
      expect(await ids({ locked: true })).not.toContain(row.id);
      expect(await ids({ q: complete.email.slice(3, 14).toUpperCase() })).toContain(row.id);
      expect(await ids({ q: row.id })).toEqual([row.id]);
      expect(await ids({ q: 'no-such-customer-anywhere' })).toEqual([]);
    });

    it.each([
      [{ sort: '["email"' }, 'sort'],
      [{ sort: '["password_hash","ASC"]' }, 'sort'],
      [{ range: '[5,2]' }, 'range'],
      [{ range: '"all"' }, 'range'],
      [{ filter: '{"q":' }, 'filter'],
      [{ filter: '{"mfaComplete":"maybe"}' }, 'filter.mfaComplete'],
      [{ filter: '{"primaryType":"email"}' }, 'filter.primaryType'],
      [{ filter: '{"isAdmin":true}' }, 'filter.isAdmin'],
    ])('refuses %j with 400 validation_failed', async (query, field) => {
      const res = await ctx.http.get('/admin/customers').query(query).set(as(agent)).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('detail', () => {
    it('shows masked factors, never a secret, and audits the view', async () => {
      const customer = await enrolledCustomer(ctx);
      const { id } = await find(customer.email);
      const res = await ctx.http.get(`/admin/customers/${id}`).set(as(agent)).expect(200);
      expect(res.body).toMatchObject({ id, email: customer.email, mfaComplete: true, primaryType: 'totp', secondaryTypes: ['email'] });
      expect(res.body.factors).toEqual([
        expect.objectContaining({ id: customer.totpFactorId, type: 'totp', role: 'primary', status: 'active', hint: expect.any(String) }),
        expect.objectContaining({ id: customer.emailFactorId, type: 'email', role: 'secondary', status: 'active' }),
      ]);
      const text = JSON.stringify(res.body.factors);
      expect(text).not.toContain(customer.totpSecret);
      expect(text).not.toContain(customer.email);
      expect(res.body.factors[0]).not.toHaveProperty('secretSealed');
      expect(res.body.factors[1]).not.toHaveProperty('destination');

      const audit = await ctx.http.get('/admin/audit-events').query({ filter: JSON.stringify({ subjectId: id, type: 'customer.viewed' }) }).set(as(agent)).expect(200);
      expect(audit.body[0]).toMatchObject({ type: 'customer.viewed', actor: { type: 'staff', id: agent.id, email: agent.email }, subject: { type: 'customer', id } });
    });

    it('answers 404 customer_not_found for unknown ids', async () => {
      for (const id of [UNKNOWN, 'nope']) {
        const res = await ctx.http.get(`/admin/customers/${id}`).set(as(agent)).expect(404);
        expect(res.body.code).toBe('customer_not_found');
      }
    });
  });

  describe('removing one factor (agent)', () => {
    it.each([
      [{ verification: 'id_document' }, 'reason'],
      [{ reason: 'too short', verification: 'id_document' }, 'reason'],
      [{ reason: REASON }, 'verification'],
      [{ reason: REASON, verification: 'asked_nicely' }, 'verification'],
      [{ reason: 'x'.repeat(501), verification: 'in_person' }, 'reason'],
    ])('refuses %j with 400', async (body, field) => {
      const customer = await enrolledCustomer(ctx);
      const { id } = await find(customer.email);
      const res = await ctx.http.delete(`/admin/customers/${id}/factors/${customer.emailFactorId}`).set(as(agent)).send(body).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('answers 404 for an unknown customer or factor, or another customer\'s factor', async () => {
      const customer = await enrolledCustomer(ctx);
      const other = await enrolledCustomer(ctx);
      const { id } = await find(customer.email);
      const body = { reason: REASON, verification: 'callback_to_number_on_file' };
      const noCustomer = await ctx.http.delete(`/admin/customers/${UNKNOWN}/factors/${customer.emailFactorId}`).set(as(agent)).send(body).expect(404);
      expect(noCustomer.body.code).toBe('customer_not_found');
      for (const factorId of [UNKNOWN, other.emailFactorId, 'x']) {
        const res = await ctx.http.delete(`/admin/customers/${id}/factors/${factorId}`).set(as(agent)).send(body).expect(404);
        expect(res.body.code).toBe('factor_not_found');
      }
    });

    it('removes the factor, tells the customer, audits it with the reason and ends their logins', async () => {
      const customer = await enrolledCustomer(ctx);
      const { id } = await find(customer.email);
      ctx.smtp.clear();
      const res = await ctx.http
        .delete(`/admin/customers/${id}/factors/${customer.totpFactorId}`)
        .set(as(agent))
        .send({ reason: REASON, verification: 'callback_to_number_on_file' })
        .expect(200);
      expect(res.body).toMatchObject({ id, mfaComplete: false, primaryType: null, secondaryTypes: ['email'] });
      expect(res.body.factors.map((f: { id: string }) => f.id)).toEqual([customer.emailFactorId]);

      const mail = await ctx.smtp.waitFor((m) => m.to.includes(customer.email) && /removed/i.test(m.subject ?? ''));
      expect(mail.text).toContain('customer services');
      expect(mail.text).not.toMatch(/\b\d{6}\b/);

      const audit = await ctx.http.get('/admin/audit-events').query({ filter: JSON.stringify({ subjectId: id, type: 'factor.removed' }) }).set(as(agent)).expect(200);
      expect(audit.headers['content-range']).toBe('audit-events 0-0/1');
      expect(audit.body[0]).toMatchObject({
        type: 'factor.removed', reason: REASON, ip: expect.any(String),
        actor: { type: 'staff', id: agent.id, email: agent.email }, subject: { type: 'customer', id },
        data: { factorId: customer.totpFactorId, type: 'totp', role: 'primary' },
      });
      const verified = await ctx.http.get('/admin/audit-events').query({ filter: JSON.stringify({ subjectId: id, type: 'support.identity_verified' }) }).set(as(agent)).expect(200);
      expect(verified.body[0].data).toMatchObject({ action: 'factor.removed', verification: 'callback_to_number_on_file' });

      // The primary is gone: the customer's logins ended and the next sign-in sets one up.
      await ctx.http.get('/me').set(bearer(customer.accessToken)).expect(401);
      await ctx.http.post('/auth/refresh').send({ refreshToken: customer.refreshToken }).expect(401);
      // The email factor remains: it must be passed before a new primary can be set up.
      expect(await login(ctx, customer.email)).toMatchObject({ status: 'mfa_required', setupRequired: ['primary'] });
    });
  });

  describe('reset-mfa (supervisor)', () => {
    it('removes every factor and recovery code, ends every login, notifies; the next login sets up afresh', async () => {
      const customer = await enrolledCustomer(ctx);
      const { id } = await find(customer.email);
      ctx.smtp.clear();
      expect(await approvedReset(ctx, id, supervisor, approver)).toMatchObject({ status: 'executed', requestedBy: supervisor.id, approvedBy: approver.id });
      const res = await ctx.http.get(`/admin/customers/${id}`).set(as(agent)).expect(200);
      expect(res.body).toMatchObject({ id, mfaComplete: false, primaryType: null, secondaryTypes: [], recoveryCodesRemaining: 0, factors: [] });

      await ctx.http.get('/me').set(bearer(customer.accessToken)).expect(401);
      await ctx.http.post('/auth/refresh').send({ refreshToken: customer.refreshToken }).expect(401);
      const next = await login(ctx, customer.email);
      expect(next).toMatchObject({ status: 'mfa_setup_required' });
      const me = await ctx.http.get('/me/factors').set(bearer(next.accessToken)).expect(200);
      expect(me.body).toMatchObject({ factors: [], recoveryCodes: { remaining: 0 } });

      const mail = await ctx.smtp.waitFor((m) => m.to.includes(customer.email) && /reset/i.test(m.subject ?? ''));
      expect(mail.text).toContain('customer services');
      const audit = await ctx.http.get('/admin/audit-events').query({ filter: JSON.stringify({ subjectId: id, type: 'mfa.reset' }) }).set(as(agent)).expect(200);
      expect(audit.body[0]).toMatchObject({ reason: REASON, actor: { type: 'staff', id: supervisor.id } });
    });

    it('refuses an agent (403) and a missing verification (400)', async () => {
      const customer = await enrolledCustomer(ctx);
      const { id } = await find(customer.email);
      await ctx.http.post(`/admin/customers/${id}/reset-mfa`).set(as(agent)).send({ reason: REASON, verification: 'in_person' }).expect(403);
      await ctx.http.post(`/admin/customers/${id}/reset-mfa`).set(as(supervisor)).send({ reason: REASON }).expect(400);
      const unknown = await ctx.http.post(`/admin/customers/${UNKNOWN}/reset-mfa`).set(as(supervisor)).send({ reason: REASON, verification: 'in_person' }).expect(404);
      expect(unknown.body.code).toBe('customer_not_found');
    });
  });

  describe('unlock (agent)', () => {
    async function lockOut(customer: EnrolledCustomer) {
      nextTotpStep(ctx);
      const { mfaToken } = await login(ctx, customer.email);
      for (let i = 0; i < 3; i++) {
        await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, code: '000000' });
      }
      const locked = await login(ctx, customer.email).catch(() => null);
      return locked;
    }

    it('lifts a lock: the list shows it, the customer can then sign in', async () => {
      const customer = await enrolledCustomer(ctx);
      const { id } = await find(customer.email);
      await lockOut(customer);
      const lockedRow = await find(customer.email);
      expect(lockedRow.lockedUntil).toEqual(expect.any(String));
      const lockedIds = (await ctx.http.get('/admin/customers').query({ filter: '{"locked":true}' }).set(as(agent)).expect(200)).body.map((r: { id: string }) => r.id);
      expect(lockedIds).toContain(id);

      const short = await ctx.http.post(`/admin/customers/${id}/unlock`).set(as(agent)).send({}).expect(400);
      expect(short.body.code).toBe('validation_failed');
      const res = await ctx.http.post(`/admin/customers/${id}/unlock`).set(as(agent)).send({ reason: 'Locked after typing old codes, verified by callback' }).expect(200);
      expect(res.body).toMatchObject({ id, lockedUntil: null, mfaComplete: true });

      nextTotpStep(ctx);
      const { mfaToken } = await login(ctx, customer.email);
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) }).expect(200);
      const audit = await ctx.http.get('/admin/audit-events').query({ filter: JSON.stringify({ subjectId: id, type: 'mfa.unlocked' }) }).set(as(agent)).expect(200);
      expect(audit.body[0]).toMatchObject({ actor: { type: 'staff', id: agent.id }, reason: 'Locked after typing old codes, verified by callback' });
    });
  });

  describe('audit trail', () => {
    it('lists newest first with filters and Content-Range', async () => {
      const res = await ctx.http.get('/admin/audit-events').query({ range: '[0,4]' }).set(as(agent)).expect(200);
      expect(res.body).toHaveLength(5);
      expect(res.headers['content-range']).toMatch(/^audit-events 0-4\/\d+$/);
      const times = res.body.map((e: { at: string }) => e.at);
      expect([...times].sort().reverse()).toEqual(times);
      expect(Object.keys(res.body[0]).sort()).toEqual(['actor', 'at', 'data', 'id', 'ip', 'reason', 'subject', 'type']);
      expect(Object.keys(res.body[0].actor).sort()).toEqual(['email', 'id', 'type']);
      expect(Object.keys(res.body[0].subject).sort()).toEqual(['id', 'type']);
      const byActor = await ctx.http.get('/admin/audit-events').query({ filter: JSON.stringify({ actorId: supervisor.id }) }).set(as(agent)).expect(200);
      expect(byActor.body.every((e: { actor: { id: string } }) => e.actor.id === supervisor.id)).toBe(true);
      const future = new Date(Date.now() + 86_400_000).toISOString();
      const none = await ctx.http.get('/admin/audit-events').query({ filter: JSON.stringify({ from: future }) }).set(as(agent)).expect(200);
      expect(none.body).toEqual([]);
      expect(none.headers['content-range']).toBe('audit-events 0-0/0');
      const byPrefix = await ctx.http.get('/admin/audit-events').query({ filter: '{"type":"factor."}' }).set(as(agent)).expect(200);
      expect(byPrefix.body.length).toBeGreaterThan(0);
      expect(byPrefix.body.every((e: { type: string }) => e.type.startsWith('factor.'))).toBe(true);
      await ctx.http.get('/admin/audit-events').query({ filter: '{"from":"yesterday-ish"}' }).set(as(agent)).expect(400);
      await ctx.http.get('/admin/audit-events').query({ filter: '{"subjectId":"42"}' }).set(as(agent)).expect(400);
    });

    it('is append-only: the database refuses UPDATE and DELETE', async () => {
      const db = ctx.app.get(DataSource);
      await expect(db.query(`UPDATE audit_events SET reason = 'rewritten'`)).rejects.toThrow(/append-only/);
      await expect(db.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    });

    it('the chain check finds a row changed behind the trigger\'s back', async () => {
      const ok = await ctx.http.get('/admin/audit-events/verify').set(as(supervisor)).expect(200);
      expect(ok.body).toMatchObject({ valid: true, count: expect.any(Number), firstBrokenId: null, problem: null, pending: 0 });
      expect(ok.body.count).toBeGreaterThan(10);

      const db = ctx.app.get(DataSource);
      const [victim] = await db.query(`SELECT id, reason FROM audit_events WHERE reason IS NOT NULL ORDER BY seq LIMIT 1`);
      const rewrite = async (reason: string | null) => {
        await db.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`);
        try {
          await db.query(`UPDATE audit_events SET reason = $2 WHERE id = $1`, [victim.id, reason]);
        } finally {
          await db.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete`);
        }
      };
      await rewrite('Nothing happened here');
      try {
        const broken = await ctx.http.get('/admin/audit-events/verify').set(as(supervisor)).expect(200);
        expect(broken.body).toMatchObject({ valid: false, firstBrokenId: victim.id, problem: 'hash_mismatch' });
      } finally {
        await rewrite(victim.reason);
      }
      const restored = await ctx.http.get('/admin/audit-events/verify').set(as(supervisor)).expect(200);
      expect(restored.body.valid).toBe(true);
    });
  });

  describe('stats', () => {
    it('answers the dashboard shape', async () => {
      await enrolledCustomer(ctx);
      const res = await ctx.http.get('/admin/stats').set(as(agent)).expect(200);
      const n = expect.any(Number);
      expect(res.body).toEqual({
        customers: { total: n, complete: n, missingSecondary: n, withoutFactors: n, locked: n },
        factors: { primary: { totp: n, sms: n, passkey: n }, secondary: { totp: n, sms: n, email: n, passkey: n } },
        recoveryCodesLow: n,
        last24h: { mfaSuccess: n, mfaFailure: n, deliveries: { sms: { sent: n, failed: n }, email: { sent: n, failed: n } } },
        daily: expect.any(Array),
        atRisk: n,
        failingChannels: [{ channel: 'sms', provider: 'twilio', count: n }, { channel: 'email', provider: 'smtp', count: n }],
        resets: { awaiting_approval: n, scheduled: n, executed: n, cancelled: n, expired: n },
      });
      const { customers, factors, last24h, daily } = res.body;
      expect(customers.total).toBeGreaterThanOrEqual(customers.complete + customers.missingSecondary + customers.withoutFactors);
      expect(customers.complete).toBeGreaterThan(0);
      expect(customers.withoutFactors).toBeGreaterThan(0);
      expect(factors.primary.totp).toBeGreaterThan(0);
      expect(factors.secondary.email).toBeGreaterThan(0);
      expect(last24h.mfaSuccess).toBeGreaterThan(0);
      expect(last24h.mfaFailure).toBeGreaterThan(0);
      expect(last24h.deliveries.email.sent).toBeGreaterThan(0);
      expect(daily).toHaveLength(30);
      expect(daily[0]).toEqual({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), mfaSuccess: n, mfaFailure: n, smsSent: n, smsFailed: n, emailSent: n, emailFailed: n });
      // The last bucket is today (UTC) — either side of the request, should midnight fall during it.
      expect([new Date(Date.now() - 60_000), new Date()].map((at) => at.toISOString().slice(0, 10))).toContain(daily[29].date);
      // The rolling 24 h spans today's bucket and yesterday's, never more.
      expect(last24h.mfaSuccess).toBeLessThanOrEqual(daily[28].mfaSuccess + daily[29].mfaSuccess);
    });

    // The rolling 24 h and the calendar days part ways at midnight UTC: a sign-in at 23:56 counts in the
    // last 24 h and in yesterday's bucket, not today's (an earlier version of this test said otherwise).
    it('keeps the last 24 h apart from calendar days just after midnight UTC', async () => {
      const now = ctx.clock.now();
      const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
      const moveTo = (at: number) => ctx.clock.advance((at - ctx.clock.now().getTime()) / 1000);
      moveTo(midnight + 120_000);
      const viewer = as(await signedInStaff(ctx, 'agent'));
      const before = (await ctx.http.get('/admin/stats').set(viewer).expect(200)).body;
      moveTo(midnight - 240_000);
      await signInWithTotp(ctx, await enrolledCustomer(ctx));
      moveTo(midnight + 120_000);
      const after = (await ctx.http.get('/admin/stats').set(viewer).expect(200)).body;

      expect(after.daily[29].date).toBe(new Date(midnight).toISOString().slice(0, 10));
      const gained = after.last24h.mfaSuccess - before.last24h.mfaSuccess;
      expect(gained).toBeGreaterThan(0);
      expect(after.daily[28].mfaSuccess - before.daily[28].mfaSuccess).toBe(gained);
      expect(after.daily[29].mfaSuccess).toBe(before.daily[29].mfaSuccess);
    });
  });
});
