import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

export interface BullMqRelayOptions {
  redisUrl: string;
  prefix: string;
  concurrency: number;
}

const QUEUE_NAME = 'twofold-deliveries';
// A request never waits on Redis; a pass that cannot hand over in this time sends the rows itself.
const ADD_TIMEOUT_MS = 3000;

/**
 * BullMQ carries only outbox row ids (job id = row id, so a row handed over twice is one job); the
 * row holds the message and its state. Retries are the row's, not BullMQ's, so a job is tried once.
 */
export class BullMqRelay {
  private readonly logger = new Logger('Deliveries');
  private readonly connection: Redis;
  private readonly queue: Queue<{ id: string }>;
  private readonly worker: Worker<{ id: string }>;

  constructor(options: BullMqRelayOptions, process: (id: string) => Promise<unknown>) {
    // BullMQ's blocking worker commands need maxRetriesPerRequest: null.
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.connection.on('error', () => undefined); // reported through the queue and worker below
    this.queue = new Queue(QUEUE_NAME, {
      connection: this.connection,
      prefix: options.prefix,
      defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: true },
    });
    this.worker = new Worker<{ id: string }>(QUEUE_NAME, async (job) => void (await process(job.data.id)), {
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
      const added = this.queue.addBulk(ids.map((id) => ({ name: 'deliver', data: { id }, opts: { jobId: id } }))).then(() => true as const);
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
