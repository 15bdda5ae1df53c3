import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, FactorRegistry, returnedRows } from '@app/twofactor';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app.config';
import { ENROLMENT_TTL_SECONDS } from '../two-factor.setup';
import { KNOWN_CLIENT_DAYS } from '../auth/password-throttle';

const DAY_MS = 24 * 3600_000;
const EVERY_MS = 15 * 60_000;

/**
 * Deletes what has no use left: finished or expired sign-in challenges (their codes go with them),
 * the send log past the hourly caps, and refresh tokens of logins that ended. Kept a day beyond
 * their end for investigations; the audit trail keeps the history. Every instance may run it.
 */
@Injectable()
export class PurgeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PurgeService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly registry: FactorRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.NODE_ENV === 'test') return;
    this.timer = setInterval(() => {
      this.purge().catch((error: unknown) => this.logger.warn(`Purge failed: ${error instanceof Error ? error.name : 'error'}`));
    }, EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<{ challenges: number; sendLog: number; refreshTokens: number; pendingFactors: number; passwordFailures: number; knownClients: number; resetTokens: number; devices: number }> {
    const now = this.clock.now().getTime();
    const cutoff = new Date(now - DAY_MS);
    const count = async (sql: string, at = cutoff, ...more: unknown[]) => returnedRows(await this.db.query(`${sql} RETURNING 1`, [at, ...more])).length;
    const sendingNothing = this.registry.types().filter((type) => !this.registry.get(type).sendsCodes);
    return {
      // An unconfirmed factor that sends no code (an authenticator secret, a passkey's enrolment) goes as soon as
      // it can no longer be confirmed; a pending SMS or email factor (its codes long dead) a day on. Their codes
      // go with them (ON DELETE CASCADE).
      pendingFactors:
        (await count(`DELETE FROM mfa_factors WHERE status = 'pending' AND type = ANY($2) AND created_at <= $1`, new Date(now - ENROLMENT_TTL_SECONDS * 1000), sendingNothing)) +
        (await count(`DELETE FROM mfa_factors WHERE status = 'pending' AND created_at < $1`)),
      // A day without a failure and no wait running: the count has nothing left to say.
      passwordFailures: await count(`DELETE FROM password_failures WHERE last_try_at < $1 AND (blocked_until IS NULL OR blocked_until < $1)`),
      knownClients: await count(`DELETE FROM sign_in_clients WHERE last_success_at < $1`, new Date(now - KNOWN_CLIENT_DAYS * DAY_MS)),
      challenges: await count(`DELETE FROM mfa_challenges WHERE expires_at < $1`),
      sendLog: await count(`DELETE FROM mfa_send_log WHERE created_at < $1`),
      refreshTokens: await count(
        `DELETE FROM refresh_tokens t USING sessions s
         WHERE s.id = t.session_id AND (s.revoked_at < $1 OR s.expires_at < $1)`,
      ),
      // Their challenges go with them (ON DELETE CASCADE).
      resetTokens: await count(`DELETE FROM password_reset_tokens WHERE expires_at < $1`),
      devices: await count(`DELETE FROM trusted_devices WHERE expires_at < $1 OR revoked_at < $1`),
    };
  }
}
