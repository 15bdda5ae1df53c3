import { bearer, currentTotp, enrolledCustomer, login, nextTotpStep, signInWithTotp } from './support/journeys';
import { startTestApp, type TestContext } from './support/test-app';

const TOKEN = 'metrics-scraper-token-0123456789';

/** The value of one series in Prometheus text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.indexOf('}'));
    if (wanted.every((pair) => labelText.split(',').includes(pair))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await startTestApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => ctx.close());

  const scrape = async () => (await ctx.http.get('/metrics').set(bearer(TOKEN)).expect(200)).text;

  it('requires the metrics token when one is configured', async () => {
    await ctx.http.get('/metrics').expect(401);
    await ctx.http.get('/metrics').set(bearer('not-the-metrics-token-at-all')).expect(401);
    const res = await ctx.http.get('/metrics').set(bearer(TOKEN)).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('twofold_delivery_queue_depth');
  });

  it('counts second-factor attempts by realm, method and outcome, deliveries by channel, and times requests by route', async () => {
    const customer = await enrolledCustomer(ctx);
    await ctx.flushDeliveries();
    const before = await scrape();
    const successesBefore = sample(before, 'twofold_second_factor_attempts_total', { realm: 'customer', method: 'totp', outcome: 'success' }) ?? 0;
    const failuresBefore = sample(before, 'twofold_second_factor_attempts_total', { realm: 'customer', method: 'totp', outcome: 'failure' }) ?? 0;

    await signInWithTotp(ctx, customer);
    nextTotpStep(ctx);
    const { mfaToken } = await login(ctx, customer.email);
    const wrong = currentTotp(ctx, customer.totpSecret) === '000000' ? '111111' : '000000';
    await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, code: wrong }).expect(401);

    const after = await scrape();
    expect(sample(after, 'twofold_second_factor_attempts_total', { realm: 'customer', method: 'totp', outcome: 'success' })).toBe(successesBefore + 1);
    expect(sample(after, 'twofold_second_factor_attempts_total', { realm: 'customer', method: 'totp', outcome: 'failure' })).toBe(failuresBefore + 1);
    // The email factor's enrolment code and the notices went out through the local SMTP server.
    expect(sample(after, 'twofold_deliveries_total', { channel: 'email' })).toBeGreaterThan(0);
    // Route patterns, never raw paths with ids in them.
    expect(sample(after, 'twofold_http_request_duration_seconds_count', { route: '/auth/mfa/verify', status: '401' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'twofold_http_request_duration_seconds_count', { route: '/me/factors/:id/verify', status: '200' })).toBeGreaterThanOrEqual(2);
    expect(after).not.toContain(customer.totpFactorId);
  });
});
