import { DeliveryError } from '../delivery-error';
import { DeliveryJob } from '../delivery-queue';
import { EmailTransport } from '../email.transport';
import { InProcessDeliveryQueue, InProcessDeliveryQueueOptions } from './in-process.delivery-queue';
import { DeliveryResult, OutgoingEmail, OutgoingSms } from '../outgoing-message';
import { SmsTransport } from '../sms.transport';

/** Answers each send with the next scripted outcome (then succeeds), and can be held open. */
class ScriptedSms extends SmsTransport {
  readonly sent: OutgoingSms[] = [];
  active = 0;
  maxActive = 0;
  gate?: Promise<void>;

  constructor(private readonly outcomes: Error[] = []) {
    super();
  }

  async send(message: OutgoingSms): Promise<DeliveryResult> {
    this.sent.push(message);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      await this.gate;
      const failure = this.outcomes.shift();
      if (failure) throw failure;
      return { provider: 'twilio', providerId: `SM${this.sent.length}`, status: 'queued' };
    } finally {
      this.active--;
    }
  }
}

class RecordingEmail extends EmailTransport {
  readonly sent: OutgoingEmail[] = [];
  send(message: OutgoingEmail): Promise<DeliveryResult> {
    this.sent.push(message);
    return Promise.resolve({ provider: 'smtp', providerId: '<id@test>', status: 'sent' });
  }
}

const smsJob = (n = 1): DeliveryJob => ({
  channel: 'sms',
  message: { to: '+447700900123', body: `Your code is 12345${n}` },
  meta: { deliveryId: `d${n}` },
});

describe(InProcessDeliveryQueue.name, () => {
  function setUp(sms = new ScriptedSms(), options: Partial<InProcessDeliveryQueueOptions> = {}) {
    const delivered: [DeliveryResult, DeliveryJob][] = [];
    const failed: [Error, DeliveryJob][] = [];
    const logs: string[] = [];
    const sleeps: number[] = [];
    const email = new RecordingEmail();
    const queue = new InProcessDeliveryQueue({
      sms,
      email,
      onDelivered: (result, job) => void delivered.push([result, job]),
      onFailed: (error, job) => void failed.push([error, job]),
      logger: { log: (line) => void logs.push(line), warn: (line) => void logs.push(line) },
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      ...options,
    });
    return { queue, sms, email, delivered, failed, logs, sleeps };
  }

  it('accepts a job without waiting for the provider, and drain waits for it', async () => {
    const sms = new ScriptedSms();
    let release = () => {};
    sms.gate = new Promise((resolve) => (release = resolve));
    const { queue, delivered } = setUp(sms);

    await queue.enqueue(smsJob());
    expect(delivered).toHaveLength(0);

    release();
    await queue.drain();
    expect(delivered).toEqual([[{ provider: 'twilio', providerId: 'SM1', status: 'queued' }, smsJob()]]);
  });

  it('sends email through the email transport', async () => {
    const { queue, email, delivered } = setUp();
    const job: DeliveryJob = { channel: 'email', message: { to: 'a@example.test', subject: 'Code', text: 'Code 123456' } };

    await queue.enqueue(job);
    await queue.drain();

    expect(email.sent).toEqual([job.message]);
    expect(delivered[0][0]).toMatchObject({ provider: 'smtp' });
  });

  it('runs at most `concurrency` sends at once', async () => {
    const sms = new ScriptedSms();
    let release = () => {};
    sms.gate = new Promise((resolve) => (release = resolve));
    const { queue, delivered } = setUp(sms, { concurrency: 2 });

    for (let n = 1; n <= 5; n++) await queue.enqueue(smsJob(n));
    expect(sms.active).toBe(2);
    release();
    await queue.drain();

    expect(sms.maxActive).toBe(2);
    expect(delivered).toHaveLength(5);
  });

  it('retries a retryable failure with backoff', async () => {
    const flaky = new ScriptedSms([
      new DeliveryError('Twilio request failed (ECONNRESET)', { provider: 'twilio', code: 'ECONNRESET', retryable: true }),
      new Error('socket hang up'),
    ]);
    const { queue, delivered, failed, sleeps } = setUp(flaky, { maxAttempts: 3, backoffMs: (attempt) => attempt * 100 });

    await queue.enqueue(smsJob());
    await queue.drain();

    expect(flaky.sent).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
    expect(delivered).toHaveLength(1);
    expect(failed).toHaveLength(0);
  });

  it('gives up at once on a failure that cannot be retried, and reports it once', async () => {
    const refusal = new DeliveryError('Twilio refused the SMS: error 21211 (HTTP 400)', {
      provider: 'twilio',
      code: 21211,
      status: 400,
      retryable: false,
    });
    const { queue, sms, failed, logs } = setUp(new ScriptedSms([refusal]));

    await queue.enqueue(smsJob());
    await queue.drain();

    expect(sms.sent).toHaveLength(1);
    expect(failed).toEqual([[refusal, smsJob()]]);
    expect(logs).toEqual(['sms delivery (deliveryId=d1) failed after 1 attempt(s): Twilio refused the SMS: error 21211 (HTTP 400)']);
  });

  it('reports failure after the last attempt, logging neither the code nor the recipient', async () => {
    const leaky = new Error('Your code is 123451 could not be sent to +447700900123');
    const { queue, sms, failed, logs } = setUp(new ScriptedSms([leaky, leaky, leaky]), { maxAttempts: 3 });

    await queue.enqueue(smsJob());
    await queue.drain();

    expect(sms.sent).toHaveLength(3);
    expect(failed).toHaveLength(1);
    expect(logs).toHaveLength(3);
    for (const line of logs) {
      expect(line).not.toContain('123451');
      expect(line).not.toContain('+447700900123');
    }
  });

  it('keeps going when a hook throws', async () => {
    const { queue, logs } = setUp(new ScriptedSms(), {
      onDelivered: () => Promise.reject(new Error('database unavailable')),
    });

    await queue.enqueue(smsJob(1));
    await queue.enqueue(smsJob(2));
    await queue.drain();

    expect(logs).toEqual([
      'onDelivered hook failed for sms delivery (deliveryId=d1): database unavailable',
      'onDelivered hook failed for sms delivery (deliveryId=d2): database unavailable',
    ]);
  });

  it('finishes its work on close and refuses new jobs after', async () => {
    const { queue, delivered } = setUp();

    await queue.enqueue(smsJob());
    await queue.close();

    expect(delivered).toHaveLength(1);
    await expect(queue.enqueue(smsJob(2))).rejects.toThrow(/closed/);
  });
});
