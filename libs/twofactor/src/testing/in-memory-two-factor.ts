// Test fixtures: a throwaway embedded database with the library's tables, and fakes for every port.
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DataSource } from 'typeorm';
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

  async add(job: DeliveryJob): Promise<void> {
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

  async record(event: TwoFactorEvent): Promise<void> {
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

/**
 * The TransactionHost Nest's ClsModule would give, made by hand over a data source (for code wired
 * without Nest). Its transactions still run in nestjs-cls's own async context.
 */
export function transactionHostOver(db: DataSource): TransactionHost<TransactionalAdapterTypeOrm> {
  const adapter = new TransactionalAdapterTypeOrm({ dataSourceToken: DataSource });
  return new TransactionHost<TransactionalAdapterTypeOrm>({
    ...adapter.optionsFactory(db), connectionName: undefined, enableTransactionProxy: false, defaultTxOptions: {}, extraProviderTokens: [],
  });
}

export interface InMemoryTwoFactor {
  db: DataSource;
  txHost: TransactionHost<TransactionalAdapterTypeOrm>;
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
  const txHost = transactionHostOver(db);
  const options = testOptions(overrides);
  const clock = new FixedClock(new Date('2026-03-01T09:00:00Z'));
  const random = new CryptoRandomSource();
  const hasher = new CodeHasher(options.codeHashKey);
  const outbox = new CapturingOutbox();
  const events = new RecordingEvents();
  const totp = new TotpAlgorithm(random);
  const codes = new OneTimeCodes(options, hasher, random, clock, txHost);
  const registry = new FactorRegistry([
    new TotpFactor(options, totp, new SecretBox(options.encryptionKeys, random), clock, txHost),
    new SmsFactor(options, codes, txHost),
    new EmailFactor(options, codes, txHost),
  ]);
  checkTwoFactorOptions(options, registry);
  const lockout = new Lockout(options, clock, txHost);
  const recovery = new RecoveryCodes(hasher, random, clock, txHost);
  return {
    db, txHost, clock, outbox, events, totp,
    factors: new FactorService(txHost, options, registry, recovery, lockout, events, outbox, clock),
    challenges: new ChallengeService(txHost, options, registry, lockout, recovery, events, outbox, random, clock),
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}
