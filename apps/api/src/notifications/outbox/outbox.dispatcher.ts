import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, returnedRows } from '@app/twofactor';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClsService } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app.config';
import { BullMqRelay } from './bullmq.relay';
import { OutboxSender } from './outbox.sender';

const BATCH = 20;
// BullMQ jobs one instance works on at once. Each carries up to JOB_ROWS rows, sent together; when
// traffic is light a job carries one row, and four keep four messages in flight as before.
const JOB_CONCURRENCY = 4;
// Rows this process claims in one statement and hands to their providers at once, so none waits in
// memory on its lease (the SMTP pool queues what its connections cannot take yet, within sendTimeout).
// The bench's recovery step: 8 → 0.26 worker statements per notice, 16 → 0.15.
const CLAIM_BATCH = 16;
// A nudge comes from inside the writer's transaction: look again shortly after it has likely
// committed, and once more a little later (the poll is the safety net).
const NUDGE_DELAYS_MS = [20, 200];

/**
 * Finds outbox rows that are due and gets them sent: by this process, or, with Redis, by handing
 * their ids to BullMQ (up to JOB_ROWS a job) so that any instance's worker sends them. Whatever Redis
 * does, the rows in PostgreSQL are the truth: a job Redis loses is handed over again after its
 * lease, and while Redis is down this process sends them itself.
 *
 * Housekeeping (failing abandoned sends, expiring stale codes, re-handing lost jobs) runs on the poll
 * tick, not on every pass a write nudges: it is only needed that often, and a pass per notice would
 * otherwise pay for it.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Deliveries');
  private readonly relay?: BullMqRelay;
  private readonly timers = new Set<NodeJS.Timeout>();
  private poller?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private closed = false;
  private housekeepingDue = true;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sender: OutboxSender,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly cls: ClsService,
  ) {
    if (config.REDIS_URL && config.DELIVERY_WORKER) {
      this.relay = new BullMqRelay({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX, concurrency: JOB_CONCURRENCY }, (ids) => this.sender.sendRows(ids));
    }
  }

  get enabled(): boolean {
    return this.config.DELIVERY_WORKER && !this.closed;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.poller = setInterval(() => {
      this.housekeepingDue = true;
      this.tick();
    }, this.config.DELIVERY_POLL_SECONDS * 1000);
    this.poller.unref();
    this.tick();
  }

  /** Something was written: look soon rather than at the next poll. */
  nudge(): void {
    if (!this.enabled) return;
    // Timers outside the writer's async context: a pass they start must never find the writer's
    // transaction, still open, as the TransactionHost's current one (it would send uncommitted rows).
    this.cls.exit(() => {
      for (const delay of NUDGE_DELAYS_MS) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.tick();
        }, delay);
        timer.unref();
        this.timers.add(timer);
      }
    });
  }

  /** Resolves once nothing is due or in flight (tests; a graceful shutdown). */
  async drain(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      // Tests move the clock past leases and expiries: each look does the housekeeping too.
      this.housekeepingDue = true;
      await this.runPass();
      // Shutting down: what is left waits in the table for the next worker.
      if (this.closed) return;
      const [{ n }] = await this.db.query(
        `SELECT count(*)::int AS n FROM message_deliveries
         WHERE (status = 'pending' AND next_attempt_at <= $1) OR status IN ('enqueued', 'sending')`,
        [this.clock.now()],
      );
      if (n === 0) return;
      await sleep(25);
    }
    throw new Error('Deliveries did not drain in time');
  }

  /** Messages waiting to be sent or being sent (the queue-depth metric). */
  async depth(): Promise<number> {
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM message_deliveries WHERE status IN ('pending', 'enqueued', 'sending')`);
    return n;
  }

  /** Removes this queue's keys from Redis (test apps, which each get their own prefix). */
  async removeQueue(): Promise<void> {
    await this.relay?.obliterate();
  }

  /**
   * Stops before anything it sends through is closed: Nest destroys a module's providers dependants
   * first, and this depends on the transports (the SMTP pool would not take a message once closed).
   */
  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    this.timers.forEach((timer) => clearTimeout(timer));
    await this.running?.catch(() => undefined);
    await this.relay?.close();
  }

  private tick(): void {
    if (!this.enabled) return;
    void this.runPass().catch((error: unknown) => {
      // The database is down or restarting: the rows wait, and the next poll tries again.
      this.logger.warn(`Delivery pass failed: ${error instanceof Error ? error.message : 'error'}`);
    });
  }

  /** One pass at a time per process; a nudge during a pass runs another right after it. */
  private runPass(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again && !this.closed);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async pass(): Promise<void> {
    if (this.housekeepingDue) {
      this.housekeepingDue = false;
      await this.housekeeping();
    }
    const now = this.clock.now();
    if (this.relay?.connected) {
      const ids = await this.enqueueDue(now);
      if (ids.length && !(await this.relay.add(ids))) {
        await this.db.query(`UPDATE message_deliveries SET status = 'pending', locked_until = NULL WHERE id = ANY($1) AND status = 'enqueued'`, [ids]);
        await this.sendHere(ids);
      }
      return;
    }
    while (!this.closed && (await this.sender.sendDue(CLAIM_BATCH)) === CLAIM_BATCH);
  }

  private async housekeeping(): Promise<void> {
    const now = this.clock.now();
    await this.sender.reapAbandoned();
    // Codes past their expiry are dropped even if no worker ever got to them.
    await this.db.query(
      `UPDATE message_deliveries SET status = 'expired', payload = NULL, locked_until = NULL, updated_at = $1
       WHERE status IN ('pending', 'enqueued') AND expires_at <= $1`,
      [now],
    );
    if (this.relay?.connected) {
      // Jobs handed to Redis whose lease ran out were lost there (a Redis restart): hand them again.
      await this.db.query(`UPDATE message_deliveries SET status = 'pending', locked_until = NULL WHERE status = 'enqueued' AND locked_until < $1`, [now]);
    }
  }

  /** pending → enqueued, with a lease, for the rows this instance hands to BullMQ. */
  private async enqueueDue(now: Date): Promise<string[]> {
    const rows = returnedRows<{ id: string }>(
      await this.db.query(
        `UPDATE message_deliveries SET status = 'enqueued', locked_until = $2, updated_at = $1
         WHERE id IN (SELECT id FROM message_deliveries WHERE status = 'pending' AND next_attempt_at <= $1
                      ORDER BY next_attempt_at LIMIT ${BATCH * 5} FOR UPDATE SKIP LOCKED)
         RETURNING id`,
        [now, new Date(now.getTime() + this.config.DELIVERY_LEASE_SECONDS * 1000)],
      ),
    );
    return rows.map((row) => row.id);
  }

  private async sendHere(ids: string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += CLAIM_BATCH) {
      const rows = ids.slice(start, start + CLAIM_BATCH);
      await this.sender.sendRows(rows).catch((error: unknown) => this.logger.warn(`Deliveries ${rows.join(', ')} could not be processed: ${error instanceof Error ? error.message : 'error'}`));
    }
  }
}
