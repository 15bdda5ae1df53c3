import { Logger } from '@nestjs/common';
import { setTimeout as wait } from 'node:timers/promises';
import { describeDeliveryFailure, isRetryable } from '../delivery-error';
import { DeliveryHooksRunner } from '../delivery-hooks.runner';
import { DeliveryLogger } from '../delivery-logger';
import { DeliveryHooks, DeliveryJob, DeliveryQueue, DeliveryTransports, describeJob, sendJob } from '../delivery-queue';

export interface InProcessDeliveryQueueOptions extends DeliveryTransports, DeliveryHooks {
  /** Sends running at once. */
  concurrency?: number;
  /** Tries per job, the first included. */
  maxAttempts?: number;
  /** Pause before retry number `attempt` (1 = first retry). */
  backoffMs?: (attempt: number) => number;
  /** Injected so tests need no timers. */
  sleep?: (ms: number) => Promise<void>;
  logger?: DeliveryLogger;
}

/**
 * The delivery queue when there is no Redis: jobs live in this process's memory, so a crash
 * loses the unsent ones (the user asks for a new code). Good for development and one instance.
 */
export class InProcessDeliveryQueue extends DeliveryQueue {
  private readonly waiting: DeliveryJob[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly hooks: DeliveryHooksRunner;
  private readonly logger: DeliveryLogger;
  private closed = false;

  constructor(private readonly options: InProcessDeliveryQueueOptions) {
    super();
    this.logger = options.logger ?? new Logger(InProcessDeliveryQueue.name);
    this.hooks = new DeliveryHooksRunner(options, this.logger);
  }

  enqueue(job: DeliveryJob): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The delivery queue is closed.'));
    this.waiting.push(job);
    this.startWaitingJobs();
    return Promise.resolve();
  }

  depth(): Promise<number> {
    return Promise.resolve(this.waiting.length + this.running.size);
  }

  /** Resolves when every job enqueued so far has been sent or has failed for good. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  override async close(): Promise<void> {
    this.closed = true;
    await this.drain();
  }

  private startWaitingJobs(): void {
    const concurrency = this.options.concurrency ?? 2;
    while (this.running.size < concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift() as DeliveryJob;
      const run = this.process(job).finally(() => {
        this.running.delete(run);
        this.startWaitingJobs();
      });
      this.running.add(run);
    }
  }

  private async process(job: DeliveryJob): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await sendJob(job, this.options);
        await this.hooks.delivered(result, job);
        return;
      } catch (error) {
        if (!isRetryable(error) || attempt >= maxAttempts) {
          await this.hooks.failed(error, job, attempt);
          return;
        }
        const delay = (this.options.backoffMs ?? defaultBackoff)(attempt);
        this.logger.warn(`${describeJob(job)} attempt ${attempt} failed: ${describeDeliveryFailure(error)}; retrying in ${delay} ms`);
        await (this.options.sleep ?? wait)(delay);
      }
    }
  }
}

function defaultBackoff(attempt: number): number {
  return 500 * 2 ** (attempt - 1);
}
