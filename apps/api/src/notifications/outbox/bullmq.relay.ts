import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';

export interface BullMqRelayOptions {
  redisUrl: string;
  prefix: string;
  concurrency: number;
}

// Jobs of several rows have a queue of their own: a worker of an earlier version, which takes one row
// id a job from 'twofold-deliveries', never meets one during a rolling deploy. Rows left in that queue
// when the last such worker stops are handed over again here once their lease runs out.
const QUEUE_NAME = 'twofold-delivery-batches';
// Rows per job: a worker claims and records a job's rows in one statement each (2 per row before).
export const JOB_ROWS = 16;

/** A job's data: the outbox rows it sends. */
type DeliveryJobData = { ids: string[] };
// A request never waits on Redis; a pass that cannot hand over in this time sends the rows itself.
const ADD_TIMEOUT_MS = 3000;

/**
 * BullMQ carries only outbox row ids, up to JOB_ROWS a job; the rows hold the messages and their state.
 * A row is sent once because its worker must first claim it with a conditional UPDATE (OutboxSender),
 * whatever Redis does; a job's id is a digest of its rows, so the same rows handed over twice are one
 * job. Retries are the row's, not BullMQ's, so a job is tried once.
 */
export class BullMqRelay {
  private readonly logger = new Logger('Deliveries');
  private readonly connection: Redis;
  private readonly queue: Queue<DeliveryJobData>;
  private readonly worker: Worker<DeliveryJobData>;

  constructor(options: BullMqRelayOptions, process: (ids: string[]) => Promise<unknown>) {
    // BullMQ's blocking worker commands need maxRetriesPerRequest: null.
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.connection.on('error', () => undefined); // reported through the queue and worker below
    this.queue = new Queue(QUEUE_NAME, {
      connection: this.connection,
      prefix: options.prefix,
      defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: true },
    });
    this.worker = new Worker<DeliveryJobData>(QUEUE_NAME, async (job) => void (await process(job.data.ids)), {
      connection: this.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
    });
    // Without listeners an 'error' event would crash the process; Redis outages are reported here.
    this.worker.on('error', (error) => this.logger.warn(`Delivery worker: ${error.message}`));
    this.queue.on('error', (error) => this.logger.warn(`Delivery queue: ${error.message}`));
  }

  get connected(): boolean {
    return this.connection.status === 'ready';
  }

  /** False when Redis did not take the jobs in time. */
  async add(ids: string[]): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ADD_TIMEOUT_MS);
    });
    try {
      const jobs = chunks(ids, JOB_ROWS).map((rows) => ({ name: 'deliver', data: { ids: rows }, opts: { jobId: jobIdOf(rows) } }));
      const added = this.queue.addBulk(jobs).then(() => true as const);
      return await Promise.race([added.catch(() => false as const), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true }).catch(() => undefined);
  }

  /** Lets running sends finish; jobs still waiting stay in Redis for another instance. */
  async close(): Promise<void> {
    await this.worker.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    await this.connection.quit().catch(() => undefined);
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}

function jobIdOf(ids: string[]): string {
  return createHash('sha256').update([...ids].sort().join(',')).digest('base64url');
}
