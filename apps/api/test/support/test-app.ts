import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Clock } from '@app/twofactor';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createTestApp } from './nest-test-app';
import { AppConfig, loadConfig } from '../../src/config/app.config';
import { EmbeddedDatabase } from '../../src/database/embedded-database';
import { OutboxDispatcher } from '../../src/notifications/outbox/outbox.dispatcher';
import { SmtpTestServer } from '../../../../test/support/smtp-test-server';
import { TwilioTestServer } from '../../../../test/support/twilio-test-server';
import { OffsetClock } from './offset-clock';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestContext {
  app: INestApplication;
  http: TestAgent;
  clock: OffsetClock;
  smtp: SmtpTestServer;
  twilio: TwilioTestServer;
  config: AppConfig;
  /** The environment the app was configured with (keys included), to start another instance like it. */
  env: Record<string, string>;
  database: TestDatabase;
  /** Waits until queued messages have been handed to the (local) providers. */
  flushDeliveries(): Promise<void>;
  /** Stops the API and starts it again on the same database, mail and SMS servers and clock, with `env` (e.g. rotated keys). */
  restart(env: Record<string, string>): Promise<TestContext>;
  close(): Promise<void>;
}

/**
 * The whole API, as in production, against a fresh database, a local SMTP server and a local
 * Twilio-compatible server. Only the clock is ours, so tests can jump past expiry times.
 * `env.DATABASE_URL` (real PostgreSQL) uses that database as it is instead of a fresh one.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { database?: TestDatabase; clock?: OffsetClock } = {}): Promise<TestContext> {
  // Another instance on a database someone else owns (options.database) leaves dropping it to them.
  const shared = options.database ? { ...options.database, drop: async () => undefined } : undefined;
  const given: TestDatabase | undefined = shared ?? (env.DATABASE_URL ? { url: env.DATABASE_URL, drop: async () => undefined } : undefined);
  const [database, smtp, twilio] = await Promise.all([given ?? createTestDatabase(), SmtpTestServer.start(), TwilioTestServer.start()]);
  const clock = options.clock ?? new OffsetClock();
  // Each test app has its own BullMQ keys, so apps sharing one Redis never take each other's jobs.
  const redisPrefix = `twofold-test-${randomBytes(6).toString('hex')}`;
  return boot({ database, smtp, twilio, clock, dataDir: mkdtempSync(join(tmpdir(), 'twofold-e2e-')), redisPrefix }, { ...testKeys(), ...env });
}

interface Shared {
  database: TestDatabase;
  smtp: SmtpTestServer;
  twilio: TwilioTestServer;
  clock: OffsetClock;
  dataDir: string;
  redisPrefix: string;
}

async function boot(shared: Shared, env: Record<string, string>): Promise<TestContext> {
  const { database, smtp, twilio, clock } = shared;
  const used: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: shared.dataDir,
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    REDIS_PREFIX: shared.redisPrefix,
    SMTP_URL: smtp.url,
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_BASE_URL: twilio.baseUrl,
    THROTTLE_ENABLED: 'false',
    LOG_LEVEL: 'silent',
    ...env,
  };
  const config = loadConfig(used);
  const app = await createTestApp([
    { provide: AppConfig, useValue: config },
    { provide: EmbeddedDatabase, useValue: new EmbeddedDatabase(database.embedded) },
    { provide: Clock, useValue: clock },
  ]);
  const deliveries = app.get(OutboxDispatcher);
  return {
    app,
    http: request(app.getHttpServer()),
    clock,
    smtp,
    twilio,
    config,
    env: used,
    database,
    flushDeliveries: () => deliveries.drain(),
    restart: async (nextEnv) => {
      await app.close();
      return boot(shared, nextEnv);
    },
    close: async () => {
      await deliveries.removeQueue();
      await app.close();
      await Promise.all([database.drop(), smtp.stop(), twilio.stop()]);
    },
  };
}

export function testKeys() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    FACTOR_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CODE_HASH_KEY: randomBytes(32).toString('base64'),
  };
}
