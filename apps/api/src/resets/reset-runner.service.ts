import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock } from '@app/twofactor';
import { AppConfig } from '../config/app.config';
import { SupportReset } from './support-reset.entity';
import { SupportResetsService } from './support-resets.service';

const POLL_MS = 15_000;

/**
 * Runs scheduled resets when their time comes, on every instance, each reset exactly once: a due row
 * is claimed with FOR UPDATE SKIP LOCKED and run in the transaction that holds it, so a second
 * instance skips it, and a crash rolls the claim back for the next poll. Resets that fell due while
 * no instance was running run at start-up.
 */
@Injectable()
export class ResetRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ResetRunner.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly resets: SupportResetsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.tick();
    // Tests drive runDue() themselves with their own clock.
    if (this.config.NODE_ENV === 'test') return;
    this.timer = setInterval(() => void this.tick(), POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Expires lapsed requests, then runs every due reset; answers how many ran here. */
  async runDue(): Promise<{ executed: number; expired: number }> {
    const expired = await this.txHost.withTransaction(() => this.resets.expireLapsed());
    let executed = 0;
    while (await this.runOne()) executed++;
    return { executed, expired };
  }

  /** Claims one due reset no other instance holds and runs it; false when none is left. */
  private async runOne(): Promise<boolean> {
    return this.txHost.withTransaction(async () => {
      const manager = this.txHost.tx;
      const [due] = (await manager.query(
        `SELECT id FROM support_resets WHERE status = 'scheduled' AND executes_at <= $1 ORDER BY executes_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [this.clock.now()],
      )) as { id: string }[];
      if (!due) return false;
      const reset = await manager.findOneByOrFail(SupportReset, { id: due.id });
      await this.resets.execute(reset);
      return true;
    });
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.runDue()
      .then(({ executed }) => executed && this.logger.log(`Ran ${executed} scheduled support reset(s)`))
      .catch((error: unknown) => this.logger.warn(`Scheduled resets failed: ${error instanceof Error ? error.name : 'error'}`))
      .finally(() => (this.running = undefined));
    await this.running;
  }
}
