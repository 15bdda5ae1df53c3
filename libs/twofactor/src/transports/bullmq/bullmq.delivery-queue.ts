import { Logger } from '@nestjs/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { describeDeliveryFailure, isRetryable } from '../delivery-error';
import { DeliveryHooksRunner } from '../delivery-hooks.runner';
import { DeliveryLogger } from '../delivery-logger';
import { DeliveryHooks, DeliveryJob, DeliveryQueue, DeliveryTransports, describeJob, sendJob } from '../delivery-queue';
import { DeliveryResult } from '../outgoing-message';

export interface BullMqDeliveryQueueOptions extends DeliveryTransports, DeliveryHooks {
  /** redis://… (REDIS_URL). */
  redisUrl: string;
  queueName?: string;
  /** Namespaces the queue's Redis keys. */
  prefix?: string;
  /** Sends this process runs at once. */
  concurrency?: number;
  /** Tries per job, the first included. */
  attempts?: number;
  /** First retry delay; each later retry waits twice as long. */
  backoffMs?: number;
  logger?: DeliveryLogger;
}

/**
 * The delivery queue on Redis: jobs survive a restart and any API instance's worker may send them.
 * The worker runs in this process. Jobs hold the message (and so the code) only until they finish:
 * they are removed from Redis when sent or failed.
 */
const ENQUEUE_TIMEOUT_MS = 5000;

export class BullMqDeliveryQueue extends DeliveryQueue {
  private readonly connection: Redis;
  private readonly queue: Queue<DeliveryJob, DeliveryResult>;
  private readonly worker: Worker<DeliveryJob, DeliveryResult>;
  private readonly hooks: DeliveryHooksRunner;
  private readonly logger: DeliveryLogger;
  private readonly attempts: number;

  constructor(private readonly options: BullMqDeliveryQueueOptions) {
    super();
    this.logger = options.logger ?? new Logger(BullMqDeliveryQueue.name);
    this.hooks = new DeliveryHooksRunner(options, this.logger);
    this.attempts = options.attempts ?? 5;
    // BullMQ's blocking worker commands need maxRetriesPerRequest: null.
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    const name = options.queueName ?? 'twofactor-delivery';
    const prefix = options.prefix ?? 'twofold';
    this.queue = new Queue<DeliveryJob, DeliveryResult>(name, {
      connection: this.connection,
      prefix,
      defaultJobOptions: {
        attempts: this.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
        removeOnComplete: true,
        removeOnFail: true,
      },
    });
    this.worker = new Worker<DeliveryJob, DeliveryResult>(name, (job) => this.process(job), {
      connection: this.connection,
      prefix,
      concurrency: options.concurrency ?? 5,
    });
    // Without a listener an 'error' event would crash the process; Redis outages are reported here.
    this.worker.on('error', (error) => this.logger.warn(`Delivery worker error: ${error.message}`));
    this.queue.on('error', (error) => this.logger.warn(`Delivery queue error: ${error.message}`));
  }

  depth(): Promise<number> {
    return this.queue.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized');
  }

  /**
   * Refuses rather than waits when Redis does not take the job in time: the worker's connection
   * retries forever (as BullMQ requires), and a request must never hang on it.
   */
  async enqueue(job: DeliveryJob): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('The delivery queue (Redis) did not accept the message in time')), ENQUEUE_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.queue.add(job.channel, job), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves once the worker is connected and picking up jobs. */
  async ready(): Promise<void> {
    await Promise.all([this.queue.waitUntilReady(), this.worker.waitUntilReady()]);
  }

  /** Lets running sends finish; jobs still waiting stay in Redis for the next worker. */
  override async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
    await this.connection.quit().catch(() => undefined);
  }

  private async process(job: Job<DeliveryJob, DeliveryResult>): Promise<DeliveryResult> {
    try {
      const result = await sendJob(job.data, this.options);
      await this.hooks.delivered(result, job.data);
      return result;
    } catch (error) {
      throw await this.afterFailure(error, job);
    }
  }

  /**
   * Reports a final failure, and returns what BullMQ gets to see (and stores in Redis): a fresh
   * error with the safe description only, since provider errors may carry the message.
   */
  private async afterFailure(error: unknown, job: Job<DeliveryJob, DeliveryResult>): Promise<Error> {
    const attempt = job.attemptsMade + 1;
    if (!isRetryable(error) || attempt >= (job.opts.attempts ?? this.attempts)) {
      await this.hooks.failed(error, job.data, attempt);
      // Unrecoverable: BullMQ must not retry what already failed for good.
      return new UnrecoverableError(describeDeliveryFailure(error));
    }
    this.logger.warn(`${describeJob(job.data)} attempt ${attempt} failed: ${describeDeliveryFailure(error)}; will retry`);
    return new Error(describeDeliveryFailure(error));
  }
}
