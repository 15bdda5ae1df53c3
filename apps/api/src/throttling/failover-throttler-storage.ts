import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { Redis } from 'ioredis';

type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

// A request never waits on a Redis that does not answer: past this, it counts locally.
const REDIS_TIMEOUT_MS = 300;

/**
 * Rate-limit counters in Redis, shared by every instance; while Redis is unreachable, in this
 * process's memory instead. Limits then hold per instance (N instances allow up to N times the
 * budget) rather than failing sign-in; the account's failure budget and lock live in PostgreSQL and
 * are not affected. Counting returns to Redis as soon as it answers again.
 */
export class FailoverThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimits');
  private readonly redis: Redis;
  private readonly shared: ThrottlerStorageRedisService;
  private readonly local = new ThrottlerStorageService();
  private degraded = false;

  constructor(redisUrl: string) {
    // No offline queue: while disconnected a command fails at once instead of waiting for Redis.
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 1000 });
    this.redis.on('error', () => undefined); // reported below, once per outage
    this.shared = new ThrottlerStorageRedisService(this.redis);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerRecord> {
    if (this.redis.status === 'ready') {
      try {
        const record = await withTimeout(this.shared.increment(key, ttl, limit, blockDuration, throttlerName));
        if (this.degraded) this.logger.log('Redis answers again: rate limits are shared again');
        this.degraded = false;
        return record;
      } catch {
        // fall through to the local counters
      }
    }
    if (!this.degraded) this.logger.warn('Redis is unreachable: rate limits are counted per instance until it returns');
    this.degraded = true;
    return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
    this.redis.disconnect();
  }
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('Redis did not answer in time')), REDIS_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
