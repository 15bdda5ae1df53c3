import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisForTests } from '../../../../../test/support/redis-for-tests';
import { DeliveryError } from '../delivery-error';
import { DeliveryJob } from '../delivery-queue';
import { EmailTransport } from '../email.transport';
import { DeliveryResult, OutgoingEmail, OutgoingSms } from '../outgoing-message';
import { SmsTransport } from '../sms.transport';
import { BullMqDeliveryQueue, BullMqDeliveryQueueOptions } from './bullmq.delivery-queue';

const redis = redisForTests();
if (redis.skipReason) console.warn(redis.skipReason);
const describeWithRedis = redis.skipReason ? describe.skip : describe;

class ScriptedSms extends SmsTransport {
  readonly sent: OutgoingSms[] = [];
  constructor(private readonly failures: Error[] = []) {
    super();
  }
  send(message: OutgoingSms): Promise<DeliveryResult> {
    this.sent.push(message);
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    return Promise.resolve({ provider: 'twilio', providerId: `SM${this.sent.length}`, status: 'queued' });
  }
}

class RecordingEmail extends EmailTransport {
  readonly sent: OutgoingEmail[] = [];
  send(message: OutgoingEmail): Promise<DeliveryResult> {
    this.sent.push(message);
    return Promise.resolve({ provider: 'smtp', providerId: '<id@test>', status: 'sent' });
  }
}

/** Resolves when `count` outcomes (deliveries or final failures) were reported. */
function outcomes() {
  const delivered: [DeliveryResult, DeliveryJob][] = [];
  const failed: [Error, DeliveryJob][] = [];
  const waiters: (() => void)[] = [];
  const notify = () => waiters.splice(0).forEach((wake) => wake());
  return {
    delivered,
    failed,
    onDelivered: (result: DeliveryResult, job: DeliveryJob) => void (delivered.push([result, job]), notify()),
    onFailed: (error: Error, job: DeliveryJob) => void (failed.push([error, job]), notify()),
    async until(count: number, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (delivered.length + failed.length < count) {
        if (Date.now() > deadline) throw new Error(`Only ${delivered.length + failed.length} of ${count} outcomes.`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

describeWithRedis(BullMqDeliveryQueue.name, () => {
  let inspector: Redis;
  let prefix: string;
  let queue: BullMqDeliveryQueue | undefined;
  const logs: string[] = [];

  beforeAll(() => {
    inspector = new Redis(redis.url);
  });
  beforeEach(() => {
    prefix = `twofold-test-${randomUUID()}`;
    logs.length = 0;
  });
  afterEach(async () => {
    await queue?.close();
    queue = undefined;
    const keys = await inspector.keys(`${prefix}:*`);
    if (keys.length) await inspector.del(...keys);
  });
  afterAll(() => inspector.quit());

  async function start(options: Partial<BullMqDeliveryQueueOptions> & Pick<BullMqDeliveryQueueOptions, 'sms'>) {
    queue = new BullMqDeliveryQueue({
      email: new RecordingEmail(),
      redisUrl: redis.url,
      prefix,
      queueName: 'delivery',
      backoffMs: 10,
      logger: { log: (line) => void logs.push(line), warn: (line) => void logs.push(line) },
      ...options,
    });
    await queue.ready();
    return queue;
  }

  const smsJob: DeliveryJob = {
    channel: 'sms',
    message: { to: '+447700900123', body: 'Your code is 482913' },
    meta: { deliveryId: 'd1' },
  };

  it('sends SMS and email through the worker and reports each delivery with its job', async () => {
    const sms = new ScriptedSms();
    const email = new RecordingEmail();
    const seen = outcomes();
    const started = await start({ sms, email, ...seen });
    const emailJob: DeliveryJob = { channel: 'email', message: { to: 'a@example.test', subject: 'Code', text: 'Code 123456' } };

    await started.enqueue(smsJob);
    await started.enqueue(emailJob);
    await seen.until(2);

    expect(sms.sent).toEqual([smsJob.message]);
    expect(email.sent).toEqual([emailJob.message]);
    expect(seen.delivered).toEqual(
      expect.arrayContaining([
        [{ provider: 'twilio', providerId: 'SM1', status: 'queued' }, smsJob],
        [{ provider: 'smtp', providerId: '<id@test>', status: 'sent' }, emailJob],
      ]),
    );
  });

  it('retries a retryable failure and leaves no job data (and so no code) in Redis', async () => {
    const sms = new ScriptedSms([new Error('socket hang up')]);
    const seen = outcomes();
    await (await start({ sms, ...seen })).enqueue(smsJob);
    await seen.until(1);

    expect(sms.sent).toHaveLength(2);
    expect(seen.delivered).toHaveLength(1);
    expect(seen.failed).toHaveLength(0);
    await expectEventually(async () => expect(await storedValues(inspector, prefix)).not.toContain('482913'));
  });

  it('stops at once on a failure that cannot be retried and reports it once', async () => {
    const refusal = new DeliveryError('Twilio refused the SMS: error 21211 (HTTP 400)', {
      provider: 'twilio',
      code: 21211,
      status: 400,
      retryable: false,
    });
    const sms = new ScriptedSms([refusal]);
    const seen = outcomes();
    await (await start({ sms, ...seen })).enqueue(smsJob);
    await seen.until(1);

    expect(sms.sent).toHaveLength(1);
    expect(seen.failed).toHaveLength(1);
    expect(seen.failed[0][0]).toBe(refusal);
    expect(seen.failed[0][1]).toEqual(smsJob);
  });

  it('reports failure once after the last attempt, logging neither the code nor the recipient', async () => {
    const leaky = () => new Error('Your code is 482913 for +447700900123');
    const sms = new ScriptedSms([leaky(), leaky(), leaky()]);
    const seen = outcomes();
    await (await start({ sms, attempts: 3, ...seen })).enqueue(smsJob);
    await seen.until(1);

    expect(sms.sent).toHaveLength(3);
    expect(seen.failed).toHaveLength(1);
    expect(logs.at(-1)).toBe('sms delivery (deliveryId=d1) failed after 3 attempt(s): Error');
    expect(logs.join('\n')).not.toMatch(/482913|\+447700900123/);
    await expectEventually(async () => expect(await storedValues(inspector, prefix)).not.toContain('482913'));
  });
});

/** The hooks run just before BullMQ removes the finished job, so give it a moment. */
async function expectEventually(assertion: () => Promise<void>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** Every string value stored under the prefix, to check what Redis keeps. */
async function storedValues(client: Redis, prefix: string): Promise<string> {
  const values: string[] = [];
  for (const key of await client.keys(`${prefix}:*`)) {
    const type = await client.type(key);
    if (type === 'hash') values.push(...Object.values(await client.hgetall(key)));
    if (type === 'string') values.push(await client.get(key) ?? '');
    if (type === 'list') values.push(...(await client.lrange(key, 0, -1)));
    if (type === 'stream') values.push(JSON.stringify(await client.xrange(key, '-', '+')));
  }
  return values.join('\n');
}
