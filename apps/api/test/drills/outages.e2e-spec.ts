import { setTimeout as sleep } from 'node:timers/promises';
import { SmtpTestServer } from '../../../../test/support/smtp-test-server';
import { TwilioTestServer } from '../../../../test/support/twilio-test-server';
import { totp } from '../support/totp';
import { clientIp, DRILL_PASSWORD, drillEmail, mfaToken, startSmsSetup, totpCustomer } from './support/drill-journeys';
import { ApiProcess, DrillPostgres, DrillRedis, drillKeys, drillSkipReason } from './support/drill-services';

const skip = drillSkipReason();
const describeDrill = skip ? describe.skip : describe;
if (skip) console.warn(skip);

/** Redis stops, PostgreSQL restarts: the API answers cleanly throughout and recovers by itself. */
describeDrill('Drill: Redis and PostgreSQL outages', () => {
  jest.setTimeout(180_000);
  let pg: DrillPostgres;
  let redis: DrillRedis;
  let smtp: SmtpTestServer;
  let twilio: TwilioTestServer;
  let api: ApiProcess;

  beforeAll(async () => {
    [pg, redis, smtp, twilio] = await Promise.all([DrillPostgres.start(), DrillRedis.start(), SmtpTestServer.start(), TwilioTestServer.start()]);
    api = await ApiProcess.start({
      DATABASE_URL: pg.url, REDIS_URL: redis.url, SMTP_URL: smtp.url,
      TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: twilio.baseUrl,
      MFA_SECONDARY_POLICY: 'recommended',
      ...drillKeys(),
    });
  });

  afterAll(async () => {
    await api?.kill();
    await Promise.all([redis?.stop(), smtp?.stop(), twilio?.stop()]);
    await pg?.destroy();
  });

  it('keeps sign-in and codes working while Redis is down, reports it, and recovers when it returns', async () => {
    const customer = await totpCustomer(api.http);
    await redis.stop();
    try {
      const health = await api.http.get('/health').expect(503);
      expect(health.body.checks).toEqual({ database: 'up', redis: 'down' });
      // A load balancer following readiness keeps the instance: it can still sign people in.
      expect((await api.http.get('/health/ready').expect(200)).body).toEqual({ status: 'ok', checks: { database: 'up' } });
      await api.http.get('/health/live').expect(200);

      // Rate limits count per instance meanwhile; the sign-in itself does not notice.
      const token = await mfaToken(api.http, customer.email);
      await api.http.post('/auth/mfa/verify').send({ mfaToken: token, factorId: customer.factorId, code: totp(customer.secret, new Date(), 1) }).expect(200);
      // A code still goes out: this instance sends it itself while BullMQ is unreachable.
      const phone = '+447911123492';
      await startSmsSetup(api.http, phone);
      await twilio.waitFor((sms) => sms.to === phone, 15_000);
    } finally {
      await redis.resume();
    }
    await eventually(async () => (await api.http.get('/health')).status === 200, 20_000);
    const phone = '+447911123493';
    await startSmsSetup(api.http, phone);
    await twilio.waitFor((sms) => sms.to === phone, 15_000);
    expect(twilio.messages.filter((sms) => sms.to === phone)).toHaveLength(1);
  });

  it('answers 503 with a code while PostgreSQL restarts, never a 500 or half a change, and recovers without a restart', async () => {
    const statuses: number[] = [];
    const bodies: { code?: string }[] = [];
    const registered: { email: string; status: number }[] = [];
    let running = true;
    const traffic = (async () => {
      while (running) {
        const email = drillEmail('outage');
        const res = await api.http.post('/auth/register').set('X-Forwarded-For', clientIp()).send({ email, password: DRILL_PASSWORD }).timeout(15_000);
        registered.push({ email, status: res.status });
        statuses.push(res.status);
        bodies.push(res.body);
        const health = await api.http.get('/health').timeout(15_000);
        statuses.push(health.status);
        await sleep(50);
      }
    })();
    await sleep(500);
    await pg.stop();
    // Without the database the instance cannot sign anyone in: readiness says so, liveness does not (no restart).
    await eventually(async () => (await api.http.get('/health/ready').timeout(15_000)).status === 503, 10_000);
    await api.http.get('/health/live').expect(200);
    await sleep(2000);
    await pg.resume();
    await eventually(async () => (await api.http.get('/health')).status === 200, 30_000);
    await sleep(500);
    running = false;
    await traffic;

    expect(statuses).not.toContain(500);
    expect(statuses).toContain(503);
    for (const status of statuses) expect([200, 201, 503]).toContain(status);
    expect(bodies.filter((body) => body.code && body.code !== 'service_unavailable')).toEqual([]);
    // A registration that answered 503 left nothing behind: the same email registers now.
    const refused = registered.find((attempt) => attempt.status === 503);
    if (refused) {
      await api.http.post('/auth/register').set('X-Forwarded-For', clientIp()).send({ email: refused.email, password: DRILL_PASSWORD }).expect(201);
    }
    // And the API works again, without a restart.
    const customer = await totpCustomer(api.http);
    const token = await mfaToken(api.http, customer.email);
    await api.http.post('/auth/mfa/verify').send({ mfaToken: token, factorId: customer.factorId, code: totp(customer.secret, new Date(), 1) }).expect(200);
  });
});

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`Not true within ${timeoutMs} ms`);
}
