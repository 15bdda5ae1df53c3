import { Injectable, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app.config';

const PING_TIMEOUT_MS = 1000;

/**
 * Answers "is Redis reachable?" for /health over one long-lived client. A client per request (the old
 * way) cost a TCP and Redis handshake each time, and a load balancer polling /health on every instance
 * turned that into a steady churn of connections.
 */
@Injectable()
export class RedisProbe implements OnModuleDestroy {
  private client?: Redis;

  constructor(private readonly config: AppConfig) {}

  async ping(): Promise<'up' | 'down' | 'absent'> {
    if (!this.config.REDIS_URL) return 'absent';
    try {
      return (await this.connection().ping()) === 'PONG' ? 'up' : 'down';
    } catch {
      return 'down';
    }
  }

  onModuleDestroy(): void {
    this.client?.disconnect();
  }

  private connection(): Redis {
    // Reconnects on its own after an outage; while Redis is down a ping fails within the timeout.
    if (!this.client) {
      this.client = new Redis(this.config.REDIS_URL!, { maxRetriesPerRequest: 0, connectTimeout: PING_TIMEOUT_MS, commandTimeout: PING_TIMEOUT_MS });
      // Failures show as "down" in the answer; the client's own error events would only be noise.
      this.client.on('error', () => undefined);
    }
    return this.client;
  }
}
