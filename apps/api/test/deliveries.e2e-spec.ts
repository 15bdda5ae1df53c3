import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { DataSource } from 'typeorm';
import { TransactionHost } from '@nestjs-cls/transactional';
import { EmailTransport } from '@app/twofactor';
import { DeliveryOutcome, DeliveryOutcomes } from '../src/notifications/outbox/delivery-outcomes';
import { OutboxDispatcher } from '../src/notifications/outbox/outbox.dispatcher';
import { OutboxSender } from '../src/notifications/outbox/outbox.sender';
import { OutboxWriter } from '../src/notifications/outbox/outbox.writer';
import { REASON, signedInStaff, SignedInStaff, staffSignIn } from './support/admin-journeys';
import { bearer, EnrolledCustomer, enrolledCustomer, login } from './support/journeys';
import { startTestApp, TestContext } from './support/test-app';

const SERVER_ERROR = { status: 500, code: 20500, message: 'Internal Server Error' };
const RETRY_SECONDS = 5; // DELIVERY_RETRY_SECONDS' default: 5 s, then 10 s, …

interface Row {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  payload: string | null;
  last_error: string | null;
  provider_id: string | null;
  provider_status: string | null;
  recipient_hint: string | null;
}

describe('Deliveries (transactional outbox)', () => {
  let ctx: TestContext;
  let db: DataSource;
  let agent: SignedInStaff;
  let outcomes: DeliveryOutcome[];

  beforeAll(async () => {
    ctx = await startTestApp();
    db = ctx.app.get(DataSource);
    agent = await signedInStaff(ctx, 'agent');
  });
  afterAll(async () => ctx?.close());

  beforeEach(() => {
    outcomes = [];
    jest.spyOn(ctx.app.get(DeliveryOutcomes), 'recorded').mockImplementation(async (outcome) => void outcomes.push(outcome));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    ctx.smtp.clear();
    ctx.twilio.clear();
    ctx.twilio.beforeReply(undefined);
  });

  const rowsFor = async (where: string, params: unknown[]): Promise<Row[]> =>
    db.query(`SELECT id, kind, status, attempts, payload, last_error, provider_id, provider_status, recipient_hint FROM message_deliveries WHERE ${where} ORDER BY created_at`, params);
  const customerId = async (email: string): Promise<string> => (await db.query(`SELECT id FROM customers WHERE email = $1`, [email]))[0].id;
  // The tests move the clock by hours: sign the agent in afresh for each request.
  const asAgent = async () => bearer((await staffSignIn(ctx, agent)).accessToken);
  const outcomesOf = (deliveryId: string) => outcomes.filter((outcome) => outcome.deliveryId === deliveryId);
  const smsTo = (phone: string) => ctx.twilio.messages.filter((sms) => sms.to === phone);

  /** A customer whose set-up messages have all gone out, with empty mailboxes. */
  async function settledCustomer(): Promise<EnrolledCustomer> {
    const customer = await enrolledCustomer(ctx);
    await ctx.flushDeliveries();
    ctx.smtp.clear();
    return customer;
  }

  /** Starts an SMS enrolment: a code for `phone`, written to the outbox with the pending factor. */
  async function startSmsEnrolment(customer: EnrolledCustomer, phone: string): Promise<string> {
    const res = await ctx.http.post('/me/factors').set(bearer(customer.accessToken)).send({ type: 'sms', role: 'secondary', phone }).expect(201);
    return res.body.factor.id;
  }

  it('writes a code as a sealed row with the change, and keeps nothing readable once it is sent', async () => {
    const customer = await enrolledCustomer(ctx);
    const phone = '+447911123401';
    const factorId = await startSmsEnrolment(customer, phone);
    const code = await ctx.twilio.codeFor(phone);
    await ctx.flushDeliveries();

    const [row] = await rowsFor(`factor_id = $1`, [factorId]);
    expect(row).toMatchObject({ kind: 'code', status: 'sent', attempts: 1, payload: null, provider_id: smsTo(phone)[0].sid, recipient_hint: '+44 ••••• ••401' });
    const stored = JSON.stringify(await db.query(`SELECT * FROM message_deliveries WHERE factor_id = $1`, [factorId]));
    expect(stored).not.toContain(code);
    expect(stored).not.toContain('7911123401');

    const log = await ctx.http.get(`/admin/customers/${await customerId(customer.email)}/deliveries`).set(await asAgent()).expect(200);
    expect(log.headers['content-range']).toMatch(/^deliveries 0-\d+\/\d+$/);
    const entry = log.body.find((delivery: { id: string }) => delivery.id === row.id);
    expect(entry).toMatchObject({ channel: 'sms', kind: 'code', purpose: 'enrolment', recipient: '+44 ••••• ••401', status: 'sent', resendable: false });
    expect(JSON.stringify(log.body)).not.toContain(code);
    expect(JSON.stringify(log.body)).not.toContain(customer.email);
  });

  it('seals a waiting code: the row holds neither the code nor the number before it is sent', async () => {
    const customer = await settledCustomer();
    await ctx.smtp.pause();
    try {
      const { mfaToken } = await login(ctx, customer.email);
      await ctx.http.post('/auth/mfa/challenge').send({ mfaToken, factorId: customer.emailFactorId }).expect(202);
      await ctx.flushDeliveries();
      const [row] = await rowsFor(`factor_id = $1 AND status = 'pending'`, [customer.emailFactorId]);
      expect(row.payload).toMatch(/^v1\./);
      expect(row.payload).not.toContain(customer.email);
    } finally {
      await ctx.smtp.resume();
    }
    ctx.clock.advance(RETRY_SECONDS);
    const code = await ctx.smtp.codeFor(customer.email);
    await ctx.flushDeliveries();
    const stored = JSON.stringify(await rowsFor(`factor_id = $1`, [customer.emailFactorId]));
    expect(stored).not.toContain(code);
  });

  it('retries Twilio 500s with backoff and sends exactly one SMS', async () => {
    const customer = await enrolledCustomer(ctx);
    const phone = '+447911123402';
    ctx.twilio.failNext(SERVER_ERROR);
    ctx.twilio.failNext(SERVER_ERROR);
    const factorId = await startSmsEnrolment(customer, phone);
    await ctx.flushDeliveries();
    let [row] = await rowsFor(`factor_id = $1`, [factorId]);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toMatch(/500/);

    ctx.clock.advance(RETRY_SECONDS);
    await ctx.flushDeliveries();
    [row] = await rowsFor(`factor_id = $1`, [factorId]);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    ctx.clock.advance(RETRY_SECONDS * 2);
    await ctx.flushDeliveries();
    [row] = await rowsFor(`factor_id = $1`, [factorId]);
    expect(row).toMatchObject({ status: 'sent', attempts: 3, payload: null, last_error: null });
    expect(smsTo(phone)).toHaveLength(1);
    expect(outcomesOf(row.id)).toEqual([expect.objectContaining({ deliveryId: row.id, status: 'sent', factorId })]);
  });

  it('fails a permanent refusal (Twilio 21211) at once: a dead letter with its reason, never retried', async () => {
    const customer = await enrolledCustomer(ctx);
    ctx.twilio.failNext(); // 21211: invalid 'To'
    const factorId = await startSmsEnrolment(customer, '+447911123403');
    await ctx.flushDeliveries();
    ctx.clock.advance(3600);
    await ctx.flushDeliveries();

    const [row] = await rowsFor(`factor_id = $1`, [factorId]);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, payload: null });
    expect(row.last_error).toContain('21211');
    expect(ctx.twilio.messages).toHaveLength(0);
    expect(outcomesOf(row.id)).toEqual([expect.objectContaining({ deliveryId: row.id, status: 'failed', permanent: true, factorId, channel: 'sms', kind: 'code' })]);

    const failed = await ctx.http.get('/admin/deliveries').query({ filter: JSON.stringify({ status: 'failed' }) }).set(await asAgent()).expect(200);
    expect(failed.body.find((delivery: { id: string }) => delivery.id === row.id)).toMatchObject({ status: 'failed', customerId: await customerId(customer.email) });
    // Staff never re-send a code.
    const refused = await ctx.http.post(`/admin/deliveries/${row.id}/resend`).set(await asAgent()).send({ reason: REASON }).expect(409);
    expect(refused.body.code).toBe('delivery_not_resendable');
  });

  it('keeps a code and a notice requested while SMTP is down, and sends each once it is back', async () => {
    const customer = await settledCustomer();
    await ctx.smtp.pause();
    try {
      const { mfaToken } = await login(ctx, customer.email);
      const challenge = await ctx.http.post('/auth/mfa/challenge').send({ mfaToken, factorId: customer.emailFactorId }).expect(202);
      expect(challenge.body.sentTo).toBeDefined();
      // A recovery code sign-in: the customer is told by email (a notice).
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken, recoveryCode: customer.recoveryCodes[0] }).expect(200);
      await ctx.flushDeliveries();
      const waiting = await rowsFor(`subject_id = $1 AND status = 'pending'`, [await customerId(customer.email)]);
      expect(waiting.map((row) => row.kind).sort()).toEqual(['code', 'notice']);
      expect(waiting.every((row) => row.attempts === 1 && row.last_error)).toBe(true);
    } finally {
      await ctx.smtp.resume();
    }
    ctx.clock.advance(RETRY_SECONDS);
    await ctx.flushDeliveries();
    const mails = ctx.smtp.messages.filter((mail) => mail.to.includes(customer.email));
    expect(mails.map((mail) => mail.subject).sort()).toEqual(['A recovery code was used to sign in', 'Your Twofold sign-in code']);
    ctx.clock.advance(3600);
    await ctx.flushDeliveries();
    expect(ctx.smtp.messages.filter((mail) => mail.to.includes(customer.email))).toHaveLength(2);
  });

  it('never sends a code past its expiry', async () => {
    const customer = await settledCustomer();
    await ctx.smtp.pause();
    try {
      const { mfaToken } = await login(ctx, customer.email);
      await ctx.http.post('/auth/mfa/challenge').send({ mfaToken, factorId: customer.emailFactorId }).expect(202);
      await ctx.flushDeliveries();
    } finally {
      await ctx.smtp.resume();
    }
    ctx.clock.advance(ctx.config.OTP_TTL_SECONDS + 1);
    await ctx.flushDeliveries();
    const row = (await rowsFor(`factor_id = $1`, [customer.emailFactorId])).at(-1);
    expect(row).toMatchObject({ status: 'expired', payload: null });
    expect(ctx.smtp.messages.filter((mail) => mail.to.includes(customer.email))).toHaveLength(0);
  });

  it('writes nothing when the transaction that causes the message rolls back', async () => {
    const marker = `rollback-${randomUUID()}@example.com`;
    await expect(
      ctx.app.get(TransactionHost).withTransaction(async () => {
        await ctx.app.get(OutboxWriter).add({ channel: 'email', message: { to: marker, subject: 'never', text: 'never' } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await ctx.flushDeliveries();
    expect(await db.query(`SELECT 1 FROM message_deliveries WHERE recipient_hint = $1`, [`r•••@example.com`])).toHaveLength(0);
    expect(ctx.smtp.messages.filter((mail) => mail.to.includes(marker))).toHaveLength(0);
  });

  it('a pass a write nudges never runs in the writer\'s transaction, even while it is still open', async () => {
    const txHost = ctx.app.get(TransactionHost);
    const dispatcher = ctx.app.get(OutboxDispatcher);
    // What each nudged pass would see as its current transaction (the pass itself is not run here).
    const seen: boolean[] = [];
    const tick = jest.spyOn(dispatcher as unknown as { tick: () => void }, 'tick').mockImplementation(() => void seen.push(txHost.isTransactionActive()));
    try {
      await expect(txHost.withTransaction(async () => {
        await ctx.app.get(OutboxWriter).add({ channel: 'email', message: { to: `open-${randomUUID()}@example.com`, subject: 'x', text: 'x' } });
        // Longer than every nudge's delay: the passes start while this transaction is open.
        await new Promise((resolve) => setTimeout(resolve, 400));
        throw new Error('the change failed');
      })).rejects.toThrow('the change failed');
    } finally {
      tick.mockRestore();
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).not.toContain(true);
  });

  it('sends one message per row however many workers try at once', async () => {
    const to = `race-${randomUUID()}@example.com`;
    await ctx.app.get(TransactionHost).withTransaction(() => ctx.app.get(OutboxWriter).add({ channel: 'email', message: { to, subject: 'once', text: 'once' } }));
    const [{ id }] = await db.query(`SELECT id FROM message_deliveries WHERE status = 'pending' ORDER BY created_at DESC LIMIT 1`);
    const sender = ctx.app.get(OutboxSender);
    const results = await Promise.all([sender.sendRows([id]), sender.sendRows([id]), sender.sendRows([id]), ctx.flushDeliveries()]);
    expect(results.slice(0, 3).flat().filter((result) => result === 'sent').length).toBeLessThanOrEqual(1);
    await ctx.flushDeliveries();
    expect(ctx.smtp.messages.filter((mail) => mail.to.includes(to))).toHaveLength(1);
  });

  it('sends a burst of messages once each, several rows to a claim (BullMQ jobs of many rows with Redis)', async () => {
    const burst = Array.from({ length: 40 }, (_, n) => `burst-${n}-${randomUUID()}@example.com`);
    await ctx.app.get(TransactionHost).withTransaction(async () => {
      for (const to of burst) await ctx.app.get(OutboxWriter).add({ channel: 'email', message: { to, subject: 'burst', text: 'burst' } });
    });
    await ctx.flushDeliveries();
    expect(burst.map((to) => ctx.smtp.messages.filter((mail) => mail.to.includes(to)).length)).toEqual(burst.map(() => 1));
  });

  it('fails a send whose worker died mid-way (lease run out) rather than risk a second message', async () => {
    const to = `abandoned-${randomUUID()}@example.com`;
    await ctx.app.get(TransactionHost).withTransaction(() => ctx.app.get(OutboxWriter).add({ channel: 'email', message: { to, subject: 'x', text: 'x' } }));
    // What a worker killed after its claim leaves behind.
    const [[{ id }]] = await db.query(
      `UPDATE message_deliveries SET status = 'sending', attempts = 1, locked_until = $1
       WHERE id = (SELECT id FROM message_deliveries WHERE status = 'pending' ORDER BY created_at DESC LIMIT 1) RETURNING id`,
      [new Date(ctx.clock.now().getTime() + 60_000)],
    );
    ctx.clock.advance(ctx.config.DELIVERY_LEASE_SECONDS + 1);
    await ctx.flushDeliveries();
    const [row] = await rowsFor(`id = $1`, [id]);
    expect(row.status).toBe('failed');
    expect(row.last_error).toMatch(/outcome unknown/);
    expect(ctx.smtp.messages.filter((mail) => mail.to.includes(to))).toHaveLength(0);
    expect(outcomesOf(id)).toEqual([expect.objectContaining({ deliveryId: id, status: 'failed' })]);
  });

  describe('Twilio status callbacks', () => {
    const url = 'http://localhost:3000/webhooks/twilio/status';
    const callback = async (params: Record<string, string>) =>
      ctx.http.post('/webhooks/twilio/status').type('form').set('X-Twilio-Signature', twilio.getExpectedTwilioSignature(ctx.twilio.authToken, url, params)).send(params).expect(204);

    it('keeps a callback that arrives before the worker recorded the message, and applies it', async () => {
      const customer = await enrolledCustomer(ctx);
      ctx.twilio.beforeReply(async (sms) => {
        await callback({ MessageSid: sms.sid, MessageStatus: 'delivered', AccountSid: ctx.twilio.accountSid });
      });
      const factorId = await startSmsEnrolment(customer, '+447911123404');
      await ctx.flushDeliveries();
      const [row] = await rowsFor(`factor_id = $1`, [factorId]);
      expect(row).toMatchObject({ status: 'delivered', provider_status: 'delivered' });
      expect(await db.query(`SELECT 1 FROM message_status_early WHERE provider_id = $1`, [row.provider_id])).toHaveLength(0);
      expect(outcomesOf(row.id)).toEqual([expect.objectContaining({ deliveryId: row.id, status: 'delivered' })]);
    });

    it('turns an undelivered callback into a failed delivery and reports it', async () => {
      const customer = await enrolledCustomer(ctx);
      const factorId = await startSmsEnrolment(customer, '+447911123405');
      await ctx.flushDeliveries();
      const [sent] = await rowsFor(`factor_id = $1`, [factorId]);
      await callback({ MessageSid: sent.provider_id!, MessageStatus: 'undelivered', ErrorCode: '30003' });
      const [row] = await rowsFor(`id = $1`, [sent.id]);
      expect(row).toMatchObject({ status: 'failed', provider_status: 'undelivered', last_error: 'twilio: undelivered (30003)' });
      expect(outcomesOf(sent.id).map((outcome) => outcome.status)).toEqual(['sent', 'failed']);
      expect(outcomesOf(sent.id)[1]).toMatchObject({ permanent: true, factorId, reason: 'twilio: undelivered' });
    });
  });

  describe('re-sending a failed notice', () => {
    async function failedNotice(): Promise<{ id: string; customer: EnrolledCustomer }> {
      const customer = await enrolledCustomer(ctx);
      ctx.smtp.rejectNext({ responseCode: 550, message: 'Mailbox unavailable' });
      const { mfaToken } = await login(ctx, customer.email);
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken, recoveryCode: customer.recoveryCodes[0] }).expect(200);
      await ctx.flushDeliveries();
      const [row] = await rowsFor(`subject_id = $1 AND kind = 'notice' AND status = 'failed'`, [await customerId(customer.email)]);
      expect(row.last_error).toMatch(/550/);
      return { id: row.id, customer };
    }

    it('lets an agent re-send it once, audited, as a new delivery', async () => {
      const { id, customer } = await failedNotice();
      const log = await ctx.http.get(`/admin/customers/${await customerId(customer.email)}/deliveries`).set(await asAgent()).expect(200);
      expect(log.body.find((delivery: { id: string }) => delivery.id === id)).toMatchObject({ status: 'failed', resendable: true, reason: expect.stringMatching(/550/) });

      const res = await ctx.http.post(`/admin/deliveries/${id}/resend`).set(await asAgent()).send({ reason: REASON }).expect(201);
      expect(res.body).toMatchObject({ kind: 'notice', status: 'pending', resentFrom: id, recipient: expect.stringContaining('•••@example.com') });
      await ctx.flushDeliveries();
      const resent = ctx.smtp.messages.filter((mail) => mail.to.includes(customer.email) && mail.subject === 'A recovery code was used to sign in');
      expect(resent).toHaveLength(1);
      const [audit] = await db.query(`SELECT actor_id, reason, data FROM audit_events WHERE type = 'delivery.resent' ORDER BY seq DESC LIMIT 1`);
      expect(audit).toMatchObject({ actor_id: agent.id, reason: REASON, data: { deliveryId: id } });

      const again = await ctx.http.post(`/admin/deliveries/${id}/resend`).set(await asAgent()).send({ reason: REASON }).expect(409);
      expect(again.body.code).toBe('delivery_already_resent');
    });

    it('answers 404 for an unknown delivery and 400 without a reason', async () => {
      for (const id of [randomUUID(), 'not-a-uuid']) {
        const res = await ctx.http.post(`/admin/deliveries/${id}/resend`).set(await asAgent()).send({ reason: REASON }).expect(404);
        expect(res.body.code).toBe('delivery_not_found');
      }
      const { id } = await failedNotice();
      const res = await ctx.http.post(`/admin/deliveries/${id}/resend`).set(await asAgent()).send({ reason: 'short' }).expect(400);
      expect(res.body.code).toBe('validation_failed');
    });

    it('is for staff only', async () => {
      const { id, customer } = await failedNotice();
      await ctx.http.post(`/admin/deliveries/${id}/resend`).set(bearer(customer.accessToken)).send({ reason: REASON }).expect(401);
      await ctx.http.get(`/admin/customers/${await customerId(customer.email)}/deliveries`).set(bearer(customer.accessToken)).expect(401);
    });
  });

  it('claims a burst of due emails with one statement and records them with one more', async () => {
    // The in-process worker (without Redis a process sends what it finds due).
    const own = await startTestApp({ REDIS_URL: '' });
    try {
      const to = Array.from({ length: 6 }, (_, n) => `burst-${n}-${randomUUID()}@example.com`);
      const sendDue = jest.spyOn(own.app.get(OutboxSender), 'sendDue');
      const query = jest.spyOn(own.app.get(DataSource), 'query');
      await own.app.get(TransactionHost).withTransaction(async () => {
        for (const address of to) await own.app.get(OutboxWriter).add({ channel: 'email', message: { to: address, subject: 'x', text: 'x' } });
      });
      await own.flushDeliveries();

      expect(await Promise.all(sendDue.mock.results.map((result) => result.value))).toContain(to.length);
      const recorded = query.mock.calls.filter(([sql]) => /^UPDATE message_deliveries m SET status = 'sent'/.test(sql.trim()));
      expect(recorded).toHaveLength(1);
      for (const address of to) expect(own.smtp.messages.filter((mail) => mail.to.includes(address))).toHaveLength(1);
    } finally {
      await own.close();
    }
  });

  it('lets a send under way at shutdown finish before the SMTP pool closes', async () => {
    const own = await startTestApp();
    const to = `shutdown-${randomUUID()}@example.com`;
    await own.app.get(TransactionHost).withTransaction(() => own.app.get(OutboxWriter).add({ channel: 'email', message: { to, subject: 'x', text: 'x' } }));
    const email = own.app.get(EmailTransport);
    const send = email.send.bind(email);
    let closing: Promise<void> | undefined;
    jest.spyOn(email, 'send').mockImplementationOnce(async (message) => {
      // The row is claimed and about to go to SMTP when the app starts closing.
      closing = own.close();
      await new Promise((resolve) => setImmediate(resolve));
      return send(message);
    });
    await own.flushDeliveries();
    await closing;
    expect(own.smtp.messages.filter((mail) => mail.to.includes(to))).toHaveLength(1);
  });

  it('describes the delivery endpoints in the OpenAPI document', async () => {
    const res = await ctx.http.get('/docs-json').expect(200);
    for (const path of ['/admin/customers/{id}/deliveries', '/admin/deliveries', '/admin/deliveries/{id}/resend']) {
      expect(res.body.paths[path]).toBeDefined();
    }
  });
});
