import twilio from 'twilio';
import { bearer, enrolledCustomer, PASSWORD } from './support/journeys';
import { createStaff, SignedInStaff, signedInStaff, staffSignIn } from './support/admin-journeys';
import { startTestApp, TestContext } from './support/test-app';
import { totp } from './support/totp';
import { DataSource } from 'typeorm';

describe('Back office: staff sign-in, roles and staff accounts', () => {
  let ctx: TestContext;
  let admin: SignedInStaff;

  beforeAll(async () => {
    ctx = await startTestApp();
    admin = await signedInStaff(ctx, 'admin');
  });
  afterAll(() => ctx?.close());
  afterEach(() => ctx.clock.reset());

  describe('first sign-in', () => {
    it('answers mfa_setup_required; the enroll token opens only /admin/me and /admin/me/factors', async () => {
      const created = await createStaff(ctx, 'agent');
      expect(created.setupPassword).toMatch(/^[1-9A-HJ-NP-Za-km-z]{20}$/);
      const login = await ctx.http.post('/admin/auth/login').send({ email: created.email.toUpperCase(), password: created.setupPassword }).expect(200);
      expect(login.body).toMatchObject({ status: 'mfa_setup_required', scope: 'enroll', tokenType: 'Bearer' });
      expect(login.headers['cache-control']).toBe('no-store');
      const enroll = bearer(login.body.accessToken);
      const me = await ctx.http.get('/admin/me').set(enroll).expect(200);
      expect(me.body).toEqual({ id: created.id, email: created.email, name: 'Test agent', role: 'agent', mustChangePassword: true });
      const overview = await ctx.http.get('/admin/me/factors').set(enroll).expect(200);
      expect(overview.body.policy).toMatchObject({ primaryTypes: ['totp', 'passkey'], secondaryTypes: ['totp', 'passkey'], secondaryRequired: false });
      expect(overview.body.setupRequired).toEqual(['primary']);
      const blocked = await ctx.http.get('/admin/customers').set(enroll).expect(403);
      expect(blocked.body.code).toBe('mfa_setup_incomplete');
    });

    it('allows TOTP and passkeys only: SMS and email are refused for staff', async () => {
      const created = await createStaff(ctx, 'agent');
      const login = await ctx.http.post('/admin/auth/login').send({ email: created.email, password: created.setupPassword }).expect(200);
      const enroll = bearer(login.body.accessToken);
      const sms = await ctx.http.post('/admin/me/factors').set(enroll).send({ type: 'sms', role: 'primary', phone: '+447700900123' });
      expect(sms.status).toBe(422);
      const email = await ctx.http.post('/admin/me/factors').set(enroll).send({ type: 'email', role: 'secondary' });
      expect(email.status).toBe(422);
    });

    it('enrolling TOTP completes setup with a staff session and recovery codes; then password + TOTP signs in', async () => {
      const staff = await signedInStaff(ctx, 'agent');
      const [, payload] = staff.accessToken.split('.');
      expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({ aud: 'staff', sub: staff.id, scope: 'session' });
      await ctx.http.get('/admin/customers').set(bearer(staff.accessToken)).expect(200);

      ctx.clock.advance(30);
      const login = await ctx.http.post('/admin/auth/login').send({ email: staff.email, password: staff.password }).expect(200);
      expect(login.body).toMatchObject({ status: 'mfa_required', defaultFactorId: staff.factorId, recoveryCodesRemaining: 10 });
      const challenge = await ctx.http.post('/admin/auth/mfa/challenge').send({ mfaToken: login.body.mfaToken, factorId: staff.factorId }).expect(200);
      expect(challenge.body).toEqual({ factorId: staff.factorId, type: 'totp' });
      const wrong = await ctx.http.post('/admin/auth/mfa/verify').send({ mfaToken: login.body.mfaToken, factorId: staff.factorId, code: '000000' }).expect(401);
      expect(wrong.body.code).toBe('invalid_code');
      const verified = await ctx.http
        .post('/admin/auth/mfa/verify')
        .send({ mfaToken: login.body.mfaToken, factorId: staff.factorId, code: totp(staff.totpSecret, ctx.clock.now()) })
        .expect(200);
      expect(verified.body).toMatchObject({ tokenType: 'Bearer', scope: 'session', method: 'totp', setupRequired: [] });
    });

    it('refuses a wrong password and an unknown email with the same answer', async () => {
      const wrong = await ctx.http.post('/admin/auth/login').send({ email: admin.email, password: 'not the password at all' }).expect(401);
      const unknown = await ctx.http.post('/admin/auth/login').send({ email: 'nobody@example.com', password: PASSWORD }).expect(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body.code).toBe('invalid_credentials');
    });
  });

  describe('tokens and realms', () => {
    it('rotates refresh tokens and logs out', async () => {
      const staff = await signedInStaff(ctx, 'agent');
      const refreshed = await ctx.http.post('/admin/auth/refresh').send({ refreshToken: staff.refreshToken }).expect(200);
      expect(refreshed.body).toMatchObject({ scope: 'session', tokenType: 'Bearer' });
      const reused = await ctx.http.post('/admin/auth/refresh').send({ refreshToken: staff.refreshToken }).expect(401);
      expect(reused.body.code).toBe('refresh_token_reused');

      const fresh = await staffSignIn(ctx, staff);
      await ctx.http.post('/admin/auth/logout').set(bearer(fresh.accessToken)).send({}).expect(204);
      await ctx.http.get('/admin/me').set(bearer(fresh.accessToken)).expect(401);
      await ctx.http.post('/admin/auth/refresh').send({ refreshToken: fresh.refreshToken }).expect(401);
    });

    it('refuses a customer token everywhere under /admin, and a staff token under /me and /auth', async () => {
      const customer = await enrolledCustomer(ctx);
      for (const path of ['/admin/me', '/admin/customers', '/admin/stats', '/admin/staff', '/admin/audit-events']) {
        const res = await ctx.http.get(path).set(bearer(customer.accessToken)).expect(401);
        expect(res.body.code).toBe('unauthorized');
      }
      await ctx.http.post('/admin/auth/logout').set(bearer(customer.accessToken)).send({}).expect(401);
      for (const path of ['/me', '/me/factors', '/me/sessions']) {
        await ctx.http.get(path).set(bearer(admin.accessToken)).expect(401);
      }
      await ctx.http.post('/auth/logout').set(bearer(admin.accessToken)).send({}).expect(401);
      // A customer's refresh token means nothing to the staff refresh route, and the other way round.
      await ctx.http.post('/admin/auth/refresh').send({ refreshToken: customer.refreshToken }).expect(401);
      await ctx.http.post('/auth/refresh').send({ refreshToken: admin.refreshToken }).expect(401);
      await ctx.http.get('/admin/me').set(bearer(admin.accessToken)).expect(200);
    });

    it('a customer cannot sign in at /admin/auth/login', async () => {
      const customer = await enrolledCustomer(ctx);
      await ctx.http.post('/admin/auth/login').send({ email: customer.email, password: PASSWORD }).expect(401);
    });
  });

  describe('own password', () => {
    it('changes it with the current one; other logins end; the new one signs in', async () => {
      const staff = await signedInStaff(ctx, 'agent');
      const other = await staffSignIn(ctx, staff);
      const newPassword = 'a brand new staff passphrase';
      const wrong = await ctx.http.post('/admin/me/password').set(bearer(staff.accessToken)).send({ currentPassword: 'nope nope nope', newPassword }).expect(401);
      expect(wrong.body.code).toBe('invalid_credentials');
      const weak = await ctx.http.post('/admin/me/password').set(bearer(staff.accessToken)).send({ currentPassword: staff.password, newPassword: 'password1234' }).expect(400);
      expect(weak.body.code).toBe('validation_failed');
      await ctx.http.post('/admin/me/password').set(bearer(staff.accessToken)).send({ currentPassword: staff.password, newPassword }).expect(204);
      await ctx.http.get('/admin/me').set(bearer(other.accessToken)).expect(401);
      const after = await ctx.http.get('/admin/me').set(bearer(staff.accessToken)).expect(200);
      // The generated setup password is gone: the console stops asking for a new one.
      expect(after.body.mustChangePassword).toBe(false);
      await ctx.http.post('/admin/auth/login').send({ email: staff.email, password: staff.password }).expect(401);
      await staffSignIn(ctx, { ...staff, password: newPassword });
    });
  });

  describe('roles', () => {
    it('keeps agents and supervisors out of staff management (403 forbidden)', async () => {
      for (const role of ['agent', 'supervisor'] as const) {
        const staff = await signedInStaff(ctx, role);
        const list = await ctx.http.get('/admin/staff').set(bearer(staff.accessToken)).expect(403);
        expect(list.body.code).toBe('forbidden');
        await ctx.http.post('/admin/staff').set(bearer(staff.accessToken)).send({ email: 'x@example.com', name: 'X', role: 'admin' }).expect(403);
        await ctx.http.patch(`/admin/staff/${staff.id}`).set(bearer(staff.accessToken)).send({ role: 'admin' }).expect(403);
      }
    });

    it('keeps agents from reset-mfa and the chain check', async () => {
      const agent = await signedInStaff(ctx, 'agent');
      const customer = await enrolledCustomer(ctx);
      const id = await customerId(ctx, customer.email, agent.accessToken);
      const reset = await ctx.http
        .post(`/admin/customers/${id}/reset-mfa`)
        .set(bearer(agent.accessToken))
        .send({ reason: 'Caller lost everything, verified by ID', verification: 'id_document' })
        .expect(403);
      expect(reset.body.code).toBe('forbidden');
      await ctx.http.get('/admin/audit-events/verify').set(bearer(agent.accessToken)).expect(403);
    });

    it('requires a token (401) before anything else', async () => {
      for (const path of ['/admin/customers', '/admin/stats', '/admin/staff', '/admin/audit-events', '/admin/audit-events/verify', '/admin/me']) {
        await ctx.http.get(path).expect(401);
      }
    });
  });

  describe('staff accounts (admin)', () => {
    it('creates a member of staff with a one-time setup password', async () => {
      const res = await ctx.http.post('/admin/staff').set(bearer(admin.accessToken)).send({ email: ' New.Agent@Example.com ', name: 'New Agent', role: 'agent' }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String), email: 'new.agent@example.com', name: 'New Agent', role: 'agent', disabled: false,
        createdAt: expect.any(String), lastLoginAt: null, setupPassword: expect.stringMatching(/^\w{20}$/),
      });
      expect(res.headers['cache-control']).toBe('no-store');
      const again = await ctx.http.get(`/admin/staff/${res.body.id}`).set(bearer(admin.accessToken)).expect(200);
      expect(again.body.setupPassword).toBeUndefined();
      expect(again.body.passwordHash).toBeUndefined();
      const taken = await ctx.http.post('/admin/staff').set(bearer(admin.accessToken)).send({ email: 'new.agent@example.com', name: 'Twin', role: 'agent' }).expect(409);
      expect(taken.body.code).toBe('staff_email_taken');
      const login = await ctx.http.post('/admin/auth/login').send({ email: 'new.agent@example.com', password: res.body.setupPassword }).expect(200);
      expect(login.body.status).toBe('mfa_setup_required');
    });

    it.each([
      [{ email: 'not-an-email', name: 'X', role: 'agent' }, 'email'],
      [{ email: 'a@example.com', name: 'X', role: 'boss' }, 'role'],
      [{ email: 'a@example.com', role: 'agent' }, 'name'],
      [{ email: 'a@example.com', name: 'X', role: 'agent', password: 'mine' }, 'password'],
    ])('refuses %j (validation_failed)', async (body, field) => {
      const res = await ctx.http.post('/admin/staff').set(bearer(admin.accessToken)).send(body).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('lists staff with react-admin paging, sorting and filters', async () => {
      await createStaff(ctx, 'supervisor');
      const res = await ctx.http
        .get('/admin/staff')
        .query({ sort: '["email","ASC"]', range: '[0,1]', filter: '{"role":"supervisor"}' })
        .set(bearer(admin.accessToken))
        .expect(200);
      expect(res.body.length).toBeGreaterThanOrEqual(1);
      expect(res.body.every((s: { role: string }) => s.role === 'supervisor')).toBe(true);
      expect(res.headers['content-range']).toMatch(/^staff 0-\d+\/\d+$/);
      const all = await ctx.http.get('/admin/staff').set(bearer(admin.accessToken)).expect(200);
      const emails = all.body.map((s: { email: string }) => s.email);
      expect([...emails].sort()).toEqual(emails);
      for (const field of ['createdAt', 'lastLoginAt', 'name', 'role']) {
        await ctx.http.get('/admin/staff').query({ sort: JSON.stringify([field, 'DESC']) }).set(bearer(admin.accessToken)).expect(200);
      }
      const search = await ctx.http.get('/admin/staff').query({ filter: JSON.stringify({ q: admin.email.slice(0, 12) }) }).set(bearer(admin.accessToken)).expect(200);
      expect(search.body.map((s: { id: string }) => s.id)).toContain(admin.id);
    });

    it('changes name and role; disabling ends the logins and refuses sign-in', async () => {
      const staff = await signedInStaff(ctx, 'agent');
      const promoted = await ctx.http.patch(`/admin/staff/${staff.id}`).set(bearer(admin.accessToken)).send({ name: 'Promoted', role: 'supervisor' }).expect(200);
      expect(promoted.body).toMatchObject({ id: staff.id, name: 'Promoted', role: 'supervisor', disabled: false });
      await ctx.http.get('/admin/audit-events/verify').set(bearer(staff.accessToken)).expect(200);

      await ctx.http.patch(`/admin/staff/${staff.id}`).set(bearer(admin.accessToken)).send({ disabled: true }).expect(200);
      await ctx.http.get('/admin/me').set(bearer(staff.accessToken)).expect(401);
      await ctx.http.post('/admin/auth/refresh').send({ refreshToken: staff.refreshToken }).expect(401);
      const login = await ctx.http.post('/admin/auth/login').send({ email: staff.email, password: staff.password }).expect(401);
      expect(login.body.code).toBe('invalid_credentials');

      await ctx.http.patch(`/admin/staff/${staff.id}`).set(bearer(admin.accessToken)).send({ disabled: false }).expect(200);
      await staffSignIn(ctx, staff);

      const events = await ctx.http.get('/admin/audit-events').query({ filter: JSON.stringify({ subjectId: staff.id, type: 'staff.updated' }) }).set(bearer(admin.accessToken)).expect(200);
      expect(events.body[0]).toMatchObject({ actor: { type: 'staff', id: admin.id, email: admin.email }, subject: { type: 'staff', id: staff.id } });
    });

    it('an admin cannot disable or demote themself', async () => {
      for (const body of [{ disabled: true }, { role: 'agent' }]) {
        const res = await ctx.http.patch(`/admin/staff/${admin.id}`).set(bearer(admin.accessToken)).send(body).expect(409);
        expect(res.body.code).toBe('cannot_change_own_access');
      }
      await ctx.http.patch(`/admin/staff/${admin.id}`).set(bearer(admin.accessToken)).send({ name: 'Still Admin', role: 'admin' }).expect(200);
    });

    it('answers 404 staff_not_found for unknown ids', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        const res = await ctx.http.get(`/admin/staff/${id}`).set(bearer(admin.accessToken)).expect(404);
        expect(res.body.code).toBe('staff_not_found');
      }
      await ctx.http.patch('/admin/staff/00000000-0000-4000-8000-000000000000').set(bearer(admin.accessToken)).send({ name: 'X' }).expect(404);
    });
  });

  describe('Twilio status webhook', () => {
    const url = 'http://localhost:3000/webhooks/twilio/status';

    async function delivery(providerId: string) {
      const db = ctx.app.get(DataSource);
      await db.query(
        `INSERT INTO message_deliveries (channel, provider, provider_id, status, provider_status, created_at, updated_at)
         VALUES ('sms', 'twilio', $1, 'sent', 'queued', now(), now())`,
        [providerId],
      );
      return async () => ((await db.query(`SELECT status FROM message_deliveries WHERE provider_id = $1`, [providerId])) as { status: string }[])[0].status;
    }

    it('updates the delivery on a correctly signed callback (204)', async () => {
      const status = await delivery('SM00000000000000000000000000000001');
      const params = { MessageSid: 'SM00000000000000000000000000000001', MessageStatus: 'delivered', AccountSid: ctx.twilio.accountSid };
      const signature = twilio.getExpectedTwilioSignature(ctx.twilio.authToken, url, params);
      await ctx.http.post('/webhooks/twilio/status').type('form').set('X-Twilio-Signature', signature).send(params).expect(204);
      expect(await status()).toBe('delivered');
      // A late "sent" does not undo the final state.
      const late = { ...params, MessageStatus: 'sent' };
      await ctx.http.post('/webhooks/twilio/status').type('form').set('X-Twilio-Signature', twilio.getExpectedTwilioSignature(ctx.twilio.authToken, url, late)).send(late).expect(204);
      expect(await status()).toBe('delivered');
    });

    it('refuses a missing or wrong signature (403)', async () => {
      const status = await delivery('SM00000000000000000000000000000002');
      const params = { MessageSid: 'SM00000000000000000000000000000002', MessageStatus: 'failed' };
      await ctx.http.post('/webhooks/twilio/status').type('form').send(params).expect(403);
      const forged = twilio.getExpectedTwilioSignature('another token', url, params);
      const res = await ctx.http.post('/webhooks/twilio/status').type('form').set('X-Twilio-Signature', forged).send(params).expect(403);
      expect(res.body.code).toBe('invalid_signature');
      const otherUrl = twilio.getExpectedTwilioSignature(ctx.twilio.authToken, 'http://evil.example/webhooks/twilio/status', params);
      await ctx.http.post('/webhooks/twilio/status').type('form').set('X-Twilio-Signature', otherUrl).send(params).expect(403);
      expect(await status()).toBe('sent');
    });
  });

  it('describes the back office in the OpenAPI document', async () => {
    const res = await ctx.http.get('/docs-json').expect(200);
    for (const path of ['/admin/auth/login', '/admin/customers', '/admin/customers/{id}/reset-mfa', '/admin/audit-events/verify', '/admin/stats', '/admin/staff/{id}', '/webhooks/twilio/status']) {
      expect(res.body.paths[path]).toBeDefined();
    }
  });
});

async function customerId(ctx: TestContext, email: string, token: string): Promise<string> {
  const res = await ctx.http.get('/admin/customers').query({ filter: JSON.stringify({ q: email }) }).set(bearer(token)).expect(200);
  return res.body[0].id;
}
