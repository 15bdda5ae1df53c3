import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { SmtpTestServer } from '../../../../test/support/smtp-test-server';
import { TwilioTestServer } from '../../../../test/support/twilio-test-server';
import { totp } from '../support/totp';
import { clientIp, mfaToken, startSmsSetup, totpCustomer } from './support/drill-journeys';
import { ApiProcess, DrillPostgres, DrillRedis, drillKeys, drillSkipReason } from './support/drill-services';

const skip = drillSkipReason();
const describeDrill = skip ? describe.skip : describe;
if (skip) console.warn(skip);

/**
 * Two API processes on one PostgreSQL and one Redis, as a deployment runs them: limits, one-time
 * codes and the lock hold across both; a message survives the kill -9 of the process that wrote it.
 */
describeDrill('Drill: two API instances, and kill -9', () => {
  jest.setTimeout(180_000);
  let pg: DrillPostgres;
  let redis: DrillRedis;
  let smtp: SmtpTestServer;
  let twilio: TwilioTestServer;
  let db: Client;
  let env: Record<string, string>;
  let a: ApiProcess; // writes messages, never sends them (DELIVERY_WORKER=false)
  let b: ApiProcess; // sends
  const extra: ApiProcess[] = [];

  beforeAll(async () => {
    [pg, redis, smtp, twilio] = await Promise.all([DrillPostgres.start(), DrillRedis.start(), SmtpTestServer.start(), TwilioTestServer.start()]);
    env = {
      DATABASE_URL: pg.url, REDIS_URL: redis.url, REDIS_PREFIX: 'drill', SMTP_URL: smtp.url,
      TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: twilio.baseUrl,
      MFA_SECONDARY_POLICY: 'recommended', THROTTLE_LOGIN_PER_MIN: '6', MFA_LOCK_THRESHOLD: '4', DELIVERY_LEASE_SECONDS: '3',
      ...drillKeys(),
    };
    // One after the other: the first runs the migrations.
    a = await ApiProcess.start({ ...env, DELIVERY_WORKER: 'false' });
    b = await ApiProcess.start(env);
    db = new Client({ connectionString: pg.url });
    await db.connect();
  });

  afterAll(async () => {
    await Promise.all([a, b, ...extra].filter(Boolean).map((api) => api.kill()));
    await db?.end();
    await Promise.all([redis?.stop(), smtp?.stop(), twilio?.stop()]);
    await pg?.destroy();
  });

  it('shares the login limit between the instances', async () => {
    const ip = clientIp();
    const attempt = (api: ApiProcess) => api.http.post('/auth/login').set('X-Forwarded-For', ip).send({ email: 'nobody@example.com', password: 'wrong password 1' });
    const answers: number[] = [];
    for (const api of [a, b, a, b, a, b]) answers.push((await attempt(api)).status);
    expect(answers).toEqual([401, 401, 401, 401, 401, 401]);
    expect((await attempt(a)).status).toBe(429);
    expect((await attempt(b)).status).toBe(429);
  });

  it('accepts the same authenticator code and the same recovery code exactly once across both', async () => {
    const customer = await totpCustomer(a.http);
    // The enrolment spent this time step: the next step's code is the fresh one.
    const code = totp(customer.secret, new Date(), 1);
    const [onA, onB] = await Promise.all([mfaToken(a.http, customer.email), mfaToken(b.http, customer.email)]);
    const totpAnswers = await Promise.all([
      a.http.post('/auth/mfa/verify').send({ mfaToken: onA, factorId: customer.factorId, code }),
      b.http.post('/auth/mfa/verify').send({ mfaToken: onB, factorId: customer.factorId, code }),
    ]);
    expect(totpAnswers.map((res) => res.status).sort()).toEqual([200, 401]);

    const [againA, againB] = await Promise.all([mfaToken(a.http, customer.email), mfaToken(b.http, customer.email)]);
    const recoveryCode = customer.recoveryCodes[0];
    const recoveryAnswers = await Promise.all([
      a.http.post('/auth/mfa/verify').send({ mfaToken: againA, recoveryCode }),
      b.http.post('/auth/mfa/verify').send({ mfaToken: againB, recoveryCode }),
    ]);
    expect(recoveryAnswers.map((res) => res.status).sort()).toEqual([200, 401]);
  });

  it('counts failures from both instances towards one lock', async () => {
    const customer = await totpCustomer(b.http);
    const wrong = (api: ApiProcess, token: string) => api.http.post('/auth/mfa/verify').send({ mfaToken: token, factorId: customer.factorId, code: '000000' });
    const [onA, onB] = [await mfaToken(a.http, customer.email), await mfaToken(b.http, customer.email)];
    for (const [api, token] of [[a, onA], [b, onB], [a, onA]] as const) expect((await wrong(api, token)).status).toBe(401);
    // The fourth failure, on the other instance, reaches MFA_LOCK_THRESHOLD=4: the lock starts with it.
    expect((await wrong(b, onB)).status).toBe(423);
    const locked = await a.http.post('/auth/mfa/verify').send({ mfaToken: onA, factorId: customer.factorId, code: totp(customer.secret, new Date(), 1) });
    expect(locked.status).toBe(423);
    expect(locked.body.code).toBe('mfa_locked');
    expect((await b.http.post('/auth/login').set('X-Forwarded-For', clientIp()).send({ email: customer.email, password: 'correct horse battery staple' })).status).toBe(423);
  });

  it('fails, and never repeats, a send whose process was killed while the provider had it', async () => {
    let calls = 0;
    let release!: () => void;
    const held = new Promise<void>((done) => (release = done));
    const reached = new Promise<void>((done) => {
      twilio.beforeReply(async () => {
        calls += 1;
        done();
        await held;
      });
    });
    const factorId = await startSmsSetup(b.http, '+447911123490');
    await reached;
    await b.kill();
    const c = await ApiProcess.start(env);
    extra.push(c);
    await waitForStatus(factorId, 'failed');
    const [row] = (await db.query(`SELECT last_error, payload FROM message_deliveries WHERE factor_id = $1`, [factorId])).rows;
    expect(row).toEqual({ last_error: 'outcome unknown: the worker stopped while sending', payload: null });
    release();
    await sleep(2000);
    expect(calls).toBe(1);
    twilio.beforeReply(undefined);
  });

  it('sends a message once when the process that wrote it is killed -9 right after the commit', async () => {
    const phone = '+447911123491';
    const factorId = await startSmsSetup(a.http, phone); // committed; A never sends
    await a.kill();
    const sms = await twilio.waitFor((message) => message.to === phone, 20_000);
    expect(sms.body).toMatch(/\b\d{6}\b/);
    await waitForStatus(factorId, 'sent');
    await sleep(2000);
    expect(twilio.messages.filter((message) => message.to === phone)).toHaveLength(1);
  });

  async function waitForStatus(factorId: string, status: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const { rows } = await db.query(`SELECT status FROM message_deliveries WHERE factor_id = $1`, [factorId]);
      if (rows[0]?.status === status) return;
      await sleep(250);
    }
    throw new Error(`The delivery for factor ${factorId} never reached ${status}`);
  }
});
