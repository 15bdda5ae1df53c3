import { auditEvents, customerId, database, noticeTo, requestReset } from './support/account-recovery';
import { approvedReset, REASON, SignedInStaff, signedInStaff } from './support/admin-journeys';
import { bearer, currentTotp, EnrolledCustomer, enrolledCustomer, login, nextTotpStep, PASSWORD } from './support/journeys';
import { startTestApp, TestContext } from './support/test-app';
import { totp } from './support/totp';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** "Remember this device": a device token stands in for the second factor, never for the password. */
describe('Trusted devices', () => {
  let ctx: TestContext;
  let agent: SignedInStaff;
  let supervisor: SignedInStaff;

  beforeAll(async () => {
    ctx = await startTestApp({ MFA_LOCK_THRESHOLD: '3' });
    agent = await signedInStaff(ctx, 'agent');
    supervisor = await signedInStaff(ctx, 'supervisor');
  }, 120_000);
  afterAll(() => ctx?.close());
  afterEach(() => ctx.clock.reset());

  /** Password, TOTP and rememberDevice from Firefox: the session and the device token. */
  async function remember(customer: EnrolledCustomer) {
    nextTotpStep(ctx);
    const { mfaToken } = await login(ctx, customer.email);
    const res = await ctx.http
      .post('/auth/mfa/verify')
      .set('User-Agent', FIREFOX)
      .send({ mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret), rememberDevice: true })
      .expect(200);
    expect(res.body.deviceToken).toEqual(expect.any(String));
    return res.body as { accessToken: string; deviceToken: string };
  }

  const loginWith = (customer: EnrolledCustomer, deviceToken: string, password = PASSWORD) =>
    ctx.http.post('/auth/login').set('User-Agent', FIREFOX).send({ email: customer.email, password, deviceToken });

  /** The usual second-factor answer: the device token was ignored. */
  async function expectIgnored(customer: EnrolledCustomer, deviceToken: string) {
    const res = await loginWith(customer, deviceToken).expect(200);
    expect(res.body.status).toBe('mfa_required');
    expect(res.body.accessToken).toBeUndefined();
  }

  describe('strangers guessing the password', () => {
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    const NEW_PASSWORD = 'another long passphrase for this account';

    /** Sixteen wrong passwords from as many IPs, spaced so each counts: then strangers wait a minute. */
    async function guessSixteen(customer: EnrolledCustomer) {
      for (let n = 0; n < 16; n++) {
        await ctx.http.post('/auth/login').set(from(`198.51.100.${n}`)).send({ email: customer.email, password: `wrong guess ${n}` }).expect(401);
        ctx.clock.advance(40);
      }
    }

    it('end their run when the owner completes a password reset', async () => {
      const customer = await enrolledCustomer(ctx);
      await guessSixteen(customer);
      await ctx.http.post('/auth/login').set(from('192.0.2.50')).send({ email: customer.email, password: PASSWORD }).expect(429);
      // A reset proven by a second factor gives the account back to its owner: the count is cleared (no
      // clock moves here, so without that the minute's wait would still hold).
      const started = await ctx.http.post('/auth/password/reset').send({ resetToken: await requestReset(ctx, customer.email) }).expect(200);
      await ctx.http
        .post('/auth/mfa/verify')
        .send({ mfaToken: started.body.mfaToken, recoveryCode: customer.recoveryCodes[0], newPassword: NEW_PASSWORD })
        .expect(200);
      const after = await ctx.http.post('/auth/login').set(from('192.0.2.60')).send({ email: customer.email, password: NEW_PASSWORD }).expect(200);
      expect(after.body.status).toBe('mfa_required');
    });

    it('never slow the remembered browser', async () => {
      const customer = await enrolledCustomer(ctx);
      const { deviceToken } = await remember(customer);
      await guessSixteen(customer);
      // A new network, the right password, no device token: a stranger as far as the throttle knows.
      await ctx.http.post('/auth/login').set(from('192.0.2.50')).send({ email: customer.email, password: PASSWORD }).expect(429);
      // The same, from the remembered browser: signed in, never made to wait.
      const remembered = await loginWith(customer, deviceToken).set(from('192.0.2.50')).expect(200);
      expect(remembered.body.status).toBe('signed_in');
    });
  });

  describe('remembering', () => {
    it('answers a deviceToken, lists the device, tells the customer its name and audits it', async () => {
      const customer = await enrolledCustomer(ctx);
      const id = await customerId(ctx, customer.email);
      const { accessToken, deviceToken } = await remember(customer);
      expect(Buffer.from(deviceToken.replace(/^dvt_/, ''), 'base64url').length).toBeGreaterThanOrEqual(16);

      const list = await ctx.http.get('/me/devices').set(bearer(accessToken)).expect(200);
      expect(list.body).toEqual([
        { id: expect.any(String), label: 'Firefox on Linux', createdAt: expect.any(String), lastUsedAt: expect.any(String), expiresAt: expect.any(String), ip: expect.any(String) },
      ]);
      const days = (Date.parse(list.body[0].expiresAt) - Date.parse(list.body[0].createdAt)) / 86_400_000;
      expect(days).toBe(30);

      const notice = await noticeTo(ctx, customer.email, 'A device will be remembered for your account');
      expect(notice.text).toContain('Firefox on Linux');
      expect(notice.text).not.toContain(deviceToken);
      expect(await auditEvents(ctx, id, 'device.trusted')).toEqual([expect.objectContaining({ data: expect.objectContaining({ label: 'Firefox on Linux' }) })]);
      const [row] = await database(ctx).query(`SELECT token_hash FROM trusted_devices WHERE customer_id = $1`, [id]);
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(await database(ctx).query(`SELECT * FROM trusted_devices`))).not.toContain(deviceToken.slice(4));
    });

    it('gives no deviceToken without rememberDevice', async () => {
      const customer = await enrolledCustomer(ctx);
      nextTotpStep(ctx);
      const { mfaToken } = await login(ctx, customer.email);
      const res = await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) }).expect(200);
      expect(res.body.deviceToken).toBeUndefined();
    });

    it('refuses rememberDevice from staff (validation_failed): staff are never remembered', async () => {
      ctx.clock.advance(30);
      const start = await ctx.http.post('/admin/auth/login').send({ email: agent.email, password: agent.password }).expect(200);
      const res = await ctx.http
        .post('/admin/auth/mfa/verify')
        .send({ mfaToken: start.body.mfaToken, factorId: agent.factorId, code: totp(agent.totpSecret, ctx.clock.now()), rememberDevice: true })
        .expect(400);
      expect(res.body.code).toBe('validation_failed');
      const staffLogin = await ctx.http.post('/admin/auth/login').send({ email: agent.email, password: agent.password, deviceToken: 'dvt_x' }).expect(400);
      expect(staffLogin.body.code).toBe('validation_failed');
    });
  });

  describe('signing in with a device token', () => {
    it('skips the second factor, not the password, and is not a fresh second factor for sensitive changes', async () => {
      const customer = await enrolledCustomer(ctx);
      const { deviceToken } = await remember(customer);
      const res = await loginWith(customer, deviceToken).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({ status: 'signed_in', method: 'trusted_device', scope: 'session', tokenType: 'Bearer', setupRequired: [], accessToken: expect.any(String), refreshToken: expect.any(String) });
      await ctx.http.get('/me').set(bearer(res.body.accessToken)).expect(200);
      const sensitive = await ctx.http.post('/me/recovery-codes').set(bearer(res.body.accessToken)).expect(403);
      expect(sensitive.body.code).toBe('recent_mfa_required');

      const wrongPassword = await loginWith(customer, deviceToken, 'not the password at all').expect(401);
      expect(wrongPassword.body.code).toBe('invalid_credentials');
    });

    it('ignores an unknown token, another account\'s token and an expired one', async () => {
      const customer = await enrolledCustomer(ctx);
      const other = await enrolledCustomer(ctx);
      const { deviceToken } = await remember(customer);
      await expectIgnored(customer, 'dvt_unknown');
      await expectIgnored(other, deviceToken);
      ctx.clock.advance(31 * 86_400);
      await expectIgnored(customer, deviceToken);
    });

    it('answers mfa_locked for a locked account, and the lock revokes every device', async () => {
      const customer = await enrolledCustomer(ctx);
      const { deviceToken } = await remember(customer);
      const { mfaToken } = await login(ctx, customer.email);
      for (let i = 0; i < 3; i++) await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, code: '000000' });
      const locked = await loginWith(customer, deviceToken).expect(423);
      expect(locked.body.code).toBe('mfa_locked');
      ctx.clock.advance(3600);
      await expectIgnored(customer, deviceToken);
    });
  });

  describe('revoking', () => {
    it('lets the customer revoke their own device, and no one else\'s', async () => {
      const customer = await enrolledCustomer(ctx);
      const other = await enrolledCustomer(ctx);
      const { accessToken, deviceToken } = await remember(customer);
      const mine = (await ctx.http.get('/me/devices').set(bearer(accessToken)).expect(200)).body[0].id;
      const notMine = await ctx.http.delete(`/me/devices/${mine}`).set(bearer(other.accessToken)).expect(404);
      expect(notMine.body.code).toBe('device_not_found');
      await ctx.http.delete('/me/devices/not-a-uuid').set(bearer(accessToken)).expect(404);
      await ctx.http.delete(`/me/devices/${UNKNOWN}`).set(bearer(accessToken)).expect(404);
      await loginWith(customer, deviceToken).expect(200);

      await ctx.http.delete(`/me/devices/${mine}`).set(bearer(accessToken)).expect(204);
      expect((await ctx.http.get('/me/devices').set(bearer(accessToken)).expect(200)).body).toEqual([]);
      await expectIgnored(customer, deviceToken);
      await ctx.http.delete(`/me/devices/${mine}`).set(bearer(accessToken)).expect(404);
    });

    it('revokes every device (and ends sign-ins begun with the old password) on a password change', async () => {
      const customer = await enrolledCustomer(ctx);
      const { accessToken, deviceToken } = await remember(customer);
      const pending = await login(ctx, customer.email);
      await ctx.http.post('/me/password').set(bearer(accessToken)).send({ currentPassword: PASSWORD, newPassword: 'another good passphrase' }).expect(204);
      const res = await loginWith(customer, deviceToken, 'another good passphrase').expect(200);
      expect(res.body.status).toBe('mfa_required');
      const stale = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: pending.mfaToken, recoveryCode: customer.recoveryCodes[5] }).expect(401);
      expect(stale.body.code).toBe('mfa_token_invalid');
      // The login that changed the password goes on.
      await ctx.http.get('/me').set(bearer(accessToken)).expect(200);
    });

    it('revokes every device on a password reset, and may remember the resetting one', async () => {
      const customer = await enrolledCustomer(ctx);
      const { deviceToken } = await remember(customer);
      const reset = await ctx.http.post('/auth/password/reset').send({ resetToken: await requestReset(ctx, customer.email) }).expect(200);
      const done = await ctx.http
        .post('/auth/mfa/verify')
        .send({ mfaToken: reset.body.mfaToken, recoveryCode: customer.recoveryCodes[0], newPassword: 'reset passphrase here', rememberDevice: true })
        .expect(200);
      const old = await loginWith(customer, deviceToken, 'reset passphrase here').expect(200);
      expect(old.body.status).toBe('mfa_required');
      const fresh = await loginWith(customer, done.body.deviceToken, 'reset passphrase here').expect(200);
      expect(fresh.body.status).toBe('signed_in');
    });

    describe('by support', () => {
      const as = (staff: SignedInStaff) => bearer(staff.accessToken);

      it('shows devices in CustomerDetail and removes one with a reason (audited, customer told)', async () => {
        const customer = await enrolledCustomer(ctx);
        const id = await customerId(ctx, customer.email);
        const { deviceToken } = await remember(customer);
        const detail = await ctx.http.get(`/admin/customers/${id}`).set(as(agent)).expect(200);
        expect(detail.body.devices).toEqual([expect.objectContaining({ label: 'Firefox on Linux', id: expect.any(String) })]);
        const deviceId = detail.body.devices[0].id;
        expect(JSON.stringify(detail.body)).not.toContain(deviceToken);

        const short = await ctx.http.delete(`/admin/customers/${id}/devices/${deviceId}`).set(as(agent)).send({ reason: 'short' }).expect(400);
        expect(short.body.code).toBe('validation_failed');
        await ctx.http.delete(`/admin/customers/${id}/devices/${UNKNOWN}`).set(as(agent)).send({ reason: REASON }).expect(404);
        const other = await enrolledCustomer(ctx);
        await ctx.http.delete(`/admin/customers/${await customerId(ctx, other.email)}/devices/${deviceId}`).set(as(agent)).send({ reason: REASON }).expect(404);
        await ctx.http.delete(`/admin/customers/${id}/devices/${deviceId}`).set(bearer(customer.accessToken)).send({ reason: REASON }).expect(401);

        const removed = await ctx.http.delete(`/admin/customers/${id}/devices/${deviceId}`).set(as(agent)).send({ reason: REASON }).expect(200);
        expect(removed.body).toMatchObject({ id, devices: [] });
        await expectIgnored(customer, deviceToken);
        const [event] = await auditEvents(ctx, id, 'device.revoked');
        expect(event).toMatchObject({ actor_type: 'staff', reason: REASON, data: { deviceId, label: 'Firefox on Linux' } });
        const notice = await noticeTo(ctx, customer.email, 'A remembered device was removed from your account');
        expect(notice.text).toContain('customer services');
      });

      it('revokes every device when support removes a factor', async () => {
        const customer = await enrolledCustomer(ctx);
        const id = await customerId(ctx, customer.email);
        const { deviceToken } = await remember(customer);
        await ctx.http
          .delete(`/admin/customers/${id}/factors/${customer.emailFactorId}`)
          .set(as(agent))
          .send({ reason: REASON, verification: 'callback_to_number_on_file' })
          .expect(200);
        // The setup is incomplete now as well; the point is the device row itself.
        const [row] = await database(ctx).query(`SELECT revoked_reason FROM trusted_devices WHERE customer_id = $1`, [id]);
        expect(row.revoked_reason).toBe('factor_removed_by_support');
        await expectIgnored(customer, deviceToken);
      });

      it('revokes every device when support resets the whole setup', async () => {
        const customer = await enrolledCustomer(ctx);
        const id = await customerId(ctx, customer.email);
        await remember(customer);
        // A whole reset takes a second supervisor's approval and its delay (support-resets.e2e-spec.ts).
        const reset = await approvedReset(ctx, id, supervisor, await signedInStaff(ctx, 'supervisor'), 'id_document');
        expect(reset.status).toBe('executed');
        const [row] = await database(ctx).query(`SELECT revoked_reason FROM trusted_devices WHERE customer_id = $1`, [id]);
        expect(row.revoked_reason).toBe('mfa_reset');
      });
    });
  });

  it('remembers no device for a login whose setup is still incomplete', async () => {
    const customer = await enrolledCustomer(ctx);
    const id = await customerId(ctx, customer.email);
    await ctx.http
      .delete(`/admin/customers/${id}/factors/${customer.emailFactorId}`)
      .set(bearer(agent.accessToken))
      .send({ reason: REASON, verification: 'callback_to_number_on_file' })
      .expect(200);
    nextTotpStep(ctx);
    const { mfaToken, setupRequired } = await login(ctx, customer.email);
    expect(setupRequired).toEqual(['secondary']);
    const res = await ctx.http
      .post('/auth/mfa/verify')
      .send({ mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret), rememberDevice: true })
      .expect(200);
    expect(res.body.deviceToken).toBeUndefined();
    expect(await auditEvents(ctx, id, 'device.trusted')).toEqual([]);
  });

  it('is described in the OpenAPI document', async () => {
    const { body } = await ctx.http.get('/docs-json').expect(200);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/me/devices', '/me/devices/{id}', '/admin/customers/{id}/devices/{deviceId}']));
    expect(Object.keys(body.components.schemas.CustomerDetailDto.properties)).toContain('devices');
    expect(Object.keys(body.components.schemas.TokenPairDoc.properties)).toContain('deviceToken');
    const login = body.paths['/auth/login'].post.requestBody.content['application/json'].schema.$ref.split('/').pop();
    expect(Object.keys(body.components.schemas[login].properties)).toContain('deviceToken');
  });
});
