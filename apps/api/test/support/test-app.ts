import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Clock, DeliveryQueue } from '@app/twofactor';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createTestApp } from './nest-test-app';
import { AppConfig, loadConfig } from '../../src/config/app.config';
import { EmbeddedDatabase } from '../../src/database/embedded-database';
import { SmtpTestServer } from '../../../../test/support/smtp-test-server';
import { TwilioTestServer } from '../../../../test/support/twilio-test-server';
import { OffsetClock } from './offset-clock';
import { createTestDatabase } from './test-database';

export interface TestContext {
  app: INestApplication;
  http: TestAgent;
  clock: OffsetClock;
  smtp: SmtpTestServer;
  twilio: TwilioTestServer;
  config: AppConfig;
  /** Waits until queued messages have been handed to the (local) providers. */
  flushDeliveries(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole API, as in production, against a fresh database, a local SMTP server and a local
 * Twilio-compatible server. Only the clock is ours, so tests can jump past expiry times.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestContext> {
  const [database, smtp, twilio] = await Promise.all([createTestDatabase(), SmtpTestServer.start(), TwilioTestServer.start()]);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'twofold-e2e-')),
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    SMTP_URL: smtp.url,
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_BASE_URL: twilio.baseUrl,
    THROTTLE_ENABLED: 'false',
    LOG_LEVEL: 'silent',
    ...testKeys(),
    ...env,
  });
  const clock = new OffsetClock();
  const app = await createTestApp([
    { provide: AppConfig, useValue: config },
    { provide: EmbeddedDatabase, useValue: new EmbeddedDatabase(database.embedded) },
    { provide: Clock, useValue: clock },
  ]);
  const queue = app.get(DeliveryQueue) as DeliveryQueue & { drain?: () => Promise<void> };
  return {
    app,
    http: request(app.getHttpServer()),
    clock,
    smtp,
    twilio,
    config,
    flushDeliveries: async () => {
      if (queue.drain) await queue.drain();
    },
    close: async () => {
      await app.close();
      await Promise.all([database.drop(), smtp.stop(), twilio.stop()]);
    },
  };
}

function testKeys() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    FACTOR_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CODE_HASH_KEY: randomBytes(32).toString('base64'),
  };
}
