import { DataSource } from 'typeorm';
import { PurgeService } from '../src/maintenance/purge.service';
import { bearer, currentTotp, enrolledCustomer, login, nextTotpStep } from './support/journeys';
import { startTestApp, TestContext } from './support/test-app';

describe('Purging what has no use left', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx?.close());
  afterEach(() => ctx.clock.reset());

  it('deletes challenges and send-log rows a day after they ended, and keeps live ones', async () => {
    const customer = await enrolledCustomer(ctx);
    await login(ctx, customer.email);
    const db = ctx.app.get(DataSource);
    const countOf = async (table: string) => Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0].n);
    const before = { challenges: await countOf('mfa_challenges'), sendLog: await countOf('mfa_send_log') };
    expect(before.challenges).toBeGreaterThan(0);
    expect(before.sendLog).toBeGreaterThan(0);

    expect(await ctx.app.get(PurgeService).purge()).toEqual({ challenges: 0, sendLog: 0, refreshTokens: 0, pendingFactors: 0, passwordFailures: 0, knownClients: 0, resetTokens: 0, devices: 0 });
    ctx.clock.advance(2 * 24 * 3600);
    const purged = await ctx.app.get(PurgeService).purge();
    expect(purged.challenges).toBe(before.challenges);
    expect(purged.sendLog).toBe(before.sendLog);
    expect(purged.refreshTokens).toBeGreaterThan(0);
    expect(await countOf('mfa_challenges')).toBe(0);
  });

  it('deletes reset tokens and remembered devices a day after they expired or were revoked', async () => {
    const customer = await enrolledCustomer(ctx);
    await ctx.http.post('/auth/password/forgot').send({ email: customer.email }).expect(202);
    nextTotpStep(ctx);
    const { mfaToken } = await login(ctx, customer.email);
    const verified = await ctx.http
      .post('/auth/mfa/verify')
      .send({ mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret), rememberDevice: true })
      .expect(200);
    const [device] = (await ctx.http.get('/me/devices').set(bearer(verified.body.accessToken)).expect(200)).body;
    await ctx.http.delete(`/me/devices/${device.id}`).set(bearer(verified.body.accessToken)).expect(204);

    const fresh = await ctx.app.get(PurgeService).purge();
    expect([fresh.resetTokens, fresh.devices]).toEqual([0, 0]);
    ctx.clock.advance(2 * 24 * 3600);
    const purged = await ctx.app.get(PurgeService).purge();
    expect(purged.resetTokens).toBe(1);
    expect(purged.devices).toBe(1);
  });
});
