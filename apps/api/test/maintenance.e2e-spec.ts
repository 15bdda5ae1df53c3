import { DataSource } from 'typeorm';
import { PurgeService } from '../src/maintenance/purge.service';
import { enrolledCustomer, login } from './support/journeys';
import { startTestApp, TestContext } from './support/test-app';

describe('Purging what has no use left', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx?.close());

  it('deletes challenges and send-log rows a day after they ended, and keeps live ones', async () => {
    const customer = await enrolledCustomer(ctx);
    await login(ctx, customer.email);
    const db = ctx.app.get(DataSource);
    const countOf = async (table: string) => Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0].n);
    const before = { challenges: await countOf('mfa_challenges'), sendLog: await countOf('mfa_send_log') };
    expect(before.challenges).toBeGreaterThan(0);
    expect(before.sendLog).toBeGreaterThan(0);

    expect(await ctx.app.get(PurgeService).purge()).toEqual({ challenges: 0, sendLog: 0, refreshTokens: 0, pendingFactors: 0, passwordFailures: 0, knownClients: 0 });
    ctx.clock.advance(2 * 24 * 3600);
    const purged = await ctx.app.get(PurgeService).purge();
    expect(purged.challenges).toBe(before.challenges);
    expect(purged.sendLog).toBe(before.sendLog);
    expect(purged.refreshTokens).toBeGreaterThan(0);
    expect(await countOf('mfa_challenges')).toBe(0);
  });
});
