import { applyDecorators, ExecutionContext, Injectable, Module, UseGuards } from '@nestjs/common';
import { seconds, SkipThrottle, ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface';
import { ApiError } from '../common/api-error';
import { COMMON_ERRORS } from '../common/common.errors';
import { AppConfig } from '../config/app.config';
import { ConfigModule } from '../config/config.module';
import { FailoverThrottlerStorage } from './failover-throttler-storage';

/**
 * `login` (/auth/login) and `mfa` (/auth/mfa/*) are the contract's budgets. `account` is ours, more
 * generous: registration, refresh and factor enrolment, so they cannot be used to flood the database
 * or a phone, without counting against anyone's sign-in attempts.
 */
export type RateLimitName = 'login' | 'mfa' | 'account';
const NAMES: RateLimitName[] = ['login', 'mfa', 'account'];

/** Answers with the contract's 429: a Retry-After header and body field, in seconds. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  // One counter per route family and client, not per handler: /auth/mfa/challenge and /auth/mfa/verify
  // (and the staff routes of the same family) draw on the same budget, as the contract's limits mean.
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `twofold:${name}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire || detail.timeToExpire));
    throw new ApiError(429, 'too_many_requests', COMMON_ERRORS.too_many_requests.message, { retryAfter });
  }
}

/** Per client IP, one budget per route family. */
export const RateLimit = (name: RateLimitName) =>
  applyDecorators(UseGuards(RateLimitGuard), SkipThrottle(Object.fromEntries(NAMES.filter((other) => other !== name).map((other) => [other, true]))));

/**
 * The shared counter store when Redis is configured (per instance while Redis is down); a provider,
 * so Nest closes its connection on shutdown.
 */
@Module({
  imports: [ConfigModule],
  providers: [
    {
      provide: FailoverThrottlerStorage,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => (config.REDIS_URL ? new FailoverThrottlerStorage(config.REDIS_URL) : null),
    },
  ],
  exports: [FailoverThrottlerStorage],
})
class RateLimitStorageModule {}

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [ConfigModule, RateLimitStorageModule],
      inject: [AppConfig, FailoverThrottlerStorage],
      useFactory: (config: AppConfig, redisStorage: FailoverThrottlerStorage | null) => ({
        throttlers: [
          { name: 'login', ttl: seconds(60), limit: config.THROTTLE_LOGIN_PER_MIN },
          { name: 'mfa', ttl: seconds(60), limit: config.THROTTLE_MFA_PER_MIN },
          { name: 'account', ttl: seconds(60), limit: config.THROTTLE_ACCOUNT_PER_MIN },
        ],
        skipIf: () => !config.THROTTLE_ENABLED,
        // Shared by every instance when Redis is configured, so N instances do not mean N times the guesses.
        storage: redisStorage ?? undefined,
      }),
    }),
  ],
  exports: [ThrottlerModule],
})
export class RateLimitModule {}
