// Test fixtures: a throwaway embedded database with the library's tables, and fakes for every port.
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { DataSource, EntityManager } from 'typeorm';
import { ChallengeService } from '../challenges/challenge.service';
import { Lockout } from '../challenges/lockout';
import { FixedClock } from './fixed-clock';
import { CodeHasher } from '../crypto/code-hasher';
import { CryptoRandomSource } from '../crypto/random-source';
import { SecretBox } from '../crypto/secret-box';
import { TwoFactorEvent, TwoFactorEvents } from '../events/two-factor-events';
import { EmailFactor } from '../factors/email/email.factor';
import { FactorRegistry } from '../factors/factor-registry';
import { FactorService } from '../factors/factor.service';
import { OneTimeCodes } from '../factors/one-time-codes';
import { SmsFactor } from '../factors/sms/sms.factor';
import { TotpAlgorithm } from '../factors/totp/totp.algorithm';
import { TotpFactor } from '../factors/totp/totp.factor';
import { TWO_FACTOR_ENTITIES } from '../persistence/entities';
import { CUSTOMER_POLICY, STAFF_POLICY } from './policies';
import { RecoveryCodes } from '../recovery-codes/recovery-codes.service';
import { DeliveryJob, DeliveryOutbox } from '../transports/delivery-outbox';
import { TwoFactorOptions } from '../two-factor.options';
import { checkTwoFactorOptions } from '../options-check';

/** Keeps what was written to the outbox (the library's specs do not need the rows themselves). */
export class CapturingOutbox extends DeliveryOutbox {
  readonly jobs: DeliveryJob[] = [];

  async add(job: DeliveryJob, _manager: EntityManager): Promise<void> {
    this.jobs.push(job);
  }

  // Captured jobs are never sent, so none is ever waiting.
  async depth(): Promise<number> {
    return 0;
  }

  lastCode(): string {
    const text = this.jobs.at(-1)?.channel === 'sms' ? (this.jobs.at(-1)!.message as { body: string }).body : (this.jobs.at(-1)!.message as { text: string }).text;
    return /\b(\d{6})\b/.exec(text)![1];
  }
}

export class RecordingEvents extends TwoFactorEvents {
  readonly events: TwoFactorEvent[] = [];

  async record(event: TwoFactorEvent, _manager: EntityManager): Promise<void> {
    this.events.push(event);
  }

  types(): string[] {
    return this.events.map((event) => event.type);
  }
}

export function testOptions(overrides: Partial<TwoFactorOptions> = {}): TwoFactorOptions {
  const key = randomBytes(32);
  return {
    issuer: 'Twofold', policies: { customer: CUSTOMER_POLICY, staff: STAFF_POLICY },
    encryptionKeys: { currentKeyId: 'k1', keys: { k1: key } }, codeHashKey: randomBytes(32), phoneDefaultRegion: 'GB',
    otpTtlSeconds: 600, otpResendSeconds: 30, otpSendsPerHour: 5, otpSendsPerSubjectPerHour: 10, otpSendsPerDestinationPerHour: 20, otpMaxAttempts: 5, enrolmentTtlSeconds: 600, enrolmentMaxFailures: 10, mfaTokenTtlSeconds: 300, mfaTokenMaxFailures: 5,
    lockThreshold: 10, lockSeconds: 900, lockMaxSeconds: 86_400, recentSecondFactorSeconds: 600,
    ...overrides,
  };
}

export interface InMemoryTwoFactor {
  db: DataSource;
  clock: FixedClock;
  outbox: CapturingOutbox;
  events: RecordingEvents;
  totp: TotpAlgorithm;
  factors: FactorService;
  challenges: ChallengeService;
  close(): Promise<void>;
}

/** The library wired by hand over an in-memory PGlite whose schema TypeORM builds from the entities. */
export async function inMemoryTwoFactor(overrides: Partial<TwoFactorOptions> = {}): Promise<InMemoryTwoFactor> {
  const pglite = await PGlite.create();
  const db = new DataSource({ type: 'postgres', entities: TWO_FACTOR_ENTITIES, synchronize: true, uuidExtension: 'pgcrypto', installExtensions: false, poolSize: 1, extra: createPgConfig(pglite) } as never);
  await db.initialize();
  const options = testOptions(overrides);
  const clock = new FixedClock(new Date('2026-03-01T09:00:00Z'));
  const random = new CryptoRandomSource();
  const hasher = new CodeHasher(options.codeHashKey);
  const outbox = new CapturingOutbox();
  const events = new RecordingEvents();
  const totp = new TotpAlgorithm(random);
  const codes = new OneTimeCodes(options, hasher, random, clock);
  const registry = new FactorRegistry([
    new TotpFactor(options, totp, new SecretBox(options.encryptionKeys, random), clock),
    new SmsFactor(options, codes),
    new EmailFactor(options, codes),
  ]);
  checkTwoFactorOptions(options, registry);
  const lockout = new Lockout(options, clock);
  const recovery = new RecoveryCodes(hasher, random, clock);
  return {
    db, clock, outbox, events, totp,
    factors: new FactorService(db, options, registry, recovery, lockout, events, outbox, clock),
    challenges: new ChallengeService(db, options, registry, lockout, recovery, events, outbox, random, clock),
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}
