// The library as ANOTHER Nest app adopts it: its own database (only the library's migrations, on
// embedded PGlite), its own ports and transaction host, the built-in factor modules it wants and one factor kind of its own.
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Global, Injectable, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import {
  ChallengeService, Clock, CodeHasher, EmailFactorModule, FactorAnswer, FactorEntity, FactorKind, FactorModule, FactorRegistry, FactorService, Prepared,
  RandomSource, SecondFactor, SecretBox, TotpAlgorithm, TotpFactorModule, TWO_FACTOR_ENTITIES, TWO_FACTOR_MIGRATIONS,
  TwoFactorError, TwoFactorEvents, TwoFactorModule, TwoFactorOptions, VerifyOutcome, DeliveryOutbox, transactionHostModule,
} from '@app/twofactor';
import { CapturingOutbox, RecordingEvents, testOptions } from '@app/twofactor/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DataSource } from 'typeorm';

/** A host's own factor kind: a long code handed out once at enrolment, typed back at sign-in. */
@Injectable()
@FactorKind()
class StaticCodeFactor implements SecondFactor {
  readonly type = 'static_code';
  readonly label = 'Static code';
  readonly amr = 'pin';
  readonly sendsCodes = false;
  readonly mayBePrimary = true;
  readonly assurance = 'possession';

  // Everything a factor module may inject from the library (global) and the host (its DataSource and TransactionHost).
  constructor(
    readonly clock: Clock,
    readonly random: RandomSource,
    readonly secrets: SecretBox,
    readonly hasher: CodeHasher,
    readonly options: TwoFactorOptions,
    readonly db: DataSource,
    readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  async enrol(factor: FactorEntity): Promise<Prepared<Record<string, unknown>>> {
    const code = this.random.digits(10);
    await this.txHost.tx.update(FactorEntity, { id: factor.id }, { secretSealed: this.secrets.seal(code, factor.id) });
    return { result: { code } };
  }

  async challengeOptions(_factor: FactorEntity, challengeId: string | null): Promise<Record<string, unknown>> {
    return { options: { digits: 10, challengeId }, factorId: 'never-overrides' };
  }

  async verify(factor: FactorEntity, answer: FactorAnswer): Promise<VerifyOutcome> {
    const manager = this.txHost.tx;
    if (answer.credential) return { result: 'invalid', errorCode: 'invalid_credential', attemptsRemaining: 3 };
    const stored = (await manager.findOneByOrFail(FactorEntity, { id: factor.id })).secretSealed;
    if (!stored || answer.code !== this.secrets.open(stored, factor.id)) return { result: 'invalid' };
    await manager.update(FactorEntity, { id: factor.id }, { lastUsedAt: this.clock.now() });
    return { result: 'ok' };
  }

  hint(): string {
    return this.label;
  }
}

@Module({ providers: [StaticCodeFactor] })
class StaticCodeFactorModule {}

/** Makes a second kind with a type already taken. */
@Injectable()
@FactorKind()
class ImpostorFactor extends StaticCodeFactor {}

@Module({ providers: [ImpostorFactor] })
class ImpostorFactorModule {}

describe('TwoFactorModule in a host app', () => {
  let pglite: PGlite;
  let db: DataSource;

  beforeAll(async () => {
    pglite = await PGlite.create();
    db = new DataSource({
      type: 'postgres', entities: TWO_FACTOR_ENTITIES, migrations: TWO_FACTOR_MIGRATIONS, poolSize: 1, installExtensions: false, extra: createPgConfig(pglite),
    } as never);
    await db.initialize();
    await db.runMigrations();
  });
  afterAll(async () => {
    await db?.destroy();
    await pglite?.close();
  });

  /**
   * The host's database module is global, as TypeOrmModule is, and so is the transaction host it sets up over
   * that DataSource (transactionHostModule); its ports go to the library through `imports`.
   */
  function host(options: TwoFactorOptions, factors: FactorModule[] = [TotpFactorModule, EmailFactorModule, StaticCodeFactorModule]) {
    const events = new RecordingEvents();
    const outbox = new CapturingOutbox();
    @Global()
    @Module({ providers: [{ provide: DataSource, useValue: db }], exports: [DataSource] })
    class HostDatabaseModule {}
    @Module({
      providers: [{ provide: TwoFactorEvents, useValue: events }, { provide: DeliveryOutbox, useValue: outbox }],
      exports: [TwoFactorEvents, DeliveryOutbox],
    })
    class HostPortsModule {}
    const compile = async (): Promise<TestingModule> => {
      const moduleRef = await Test.createTestingModule({
        imports: [HostDatabaseModule, transactionHostModule(), TwoFactorModule.forRootAsync({ imports: [HostPortsModule], useFactory: () => options, factors })],
      }).compile();
      await moduleRef.init();
      return moduleRef;
    };
    return { events, outbox, compile };
  }

  const policies = {
    customer: { primaryTypes: ['totp', 'static_code'], secondaryTypes: ['totp', 'static_code', 'email'], secondaryRequired: true, recoveryCodeCount: 4 },
    staff: { primaryTypes: ['totp'], secondaryTypes: [], secondaryRequired: false, recoveryCodeCount: 4 },
  };

  describe('with a factor kind of its own', () => {
    let moduleRef: TestingModule;
    let ports: ReturnType<typeof host>;
    const subject = { realm: 'customer' as const, subjectId: '6f1c2d1e-0000-4000-8000-000000000001' };

    beforeAll(async () => {
      ports = host(testOptions({ policies }));
      moduleRef = await ports.compile();
    });
    afterAll(() => moduleRef?.close());

    it('registers the built-in kinds it imported and its own, each with the library\'s providers injected', () => {
      expect(moduleRef.get(FactorRegistry).types().sort()).toEqual(['email', 'static_code', 'totp']);
      const custom = moduleRef.get(StaticCodeFactor);
      expect(moduleRef.get(FactorRegistry).get('static_code')).toBe(custom);
      expect(custom.clock).toBe(moduleRef.get(Clock));
      expect(custom.random).toBe(moduleRef.get(RandomSource));
      expect(custom.secrets).toBe(moduleRef.get(SecretBox));
      expect(custom.hasher).toBe(moduleRef.get(CodeHasher));
      expect(custom.options).toBe(moduleRef.get(TwoFactorOptions));
      expect(custom.db).toBe(db);
      expect(custom.txHost).toBe(moduleRef.get(TransactionHost));
    });

    it('enrols and confirms an authenticator app, then its own factor and an email backup', async () => {
      const factors = moduleRef.get(FactorService);
      const totp = await factors.enrol(subject, { type: 'totp', role: 'primary', email: 'pat@example.com' }, { recentSecondFactor: false });
      const code = await moduleRef.get(TotpAlgorithm).generate(String(totp.secret), moduleRef.get(Clock).now());
      const confirmed = await factors.confirm(subject, totp.factor.id, { code }, { recentSecondFactor: false });
      expect(confirmed.factor).toMatchObject({ type: 'totp', status: 'active', hint: 'Authenticator app' });
      expect(confirmed.recoveryCodes).toHaveLength(4);

      const own = await factors.enrol(subject, { type: 'static_code', role: 'secondary', email: 'pat@example.com' }, { recentSecondFactor: true });
      await expect(factors.confirm(subject, own.factor.id, { credential: { forged: true } }, { recentSecondFactor: true }))
        .rejects.toMatchObject({ code: 'invalid_credential' });
      await factors.confirm(subject, own.factor.id, { code: String(own.code) }, { recentSecondFactor: true });

      await factors.enrol(subject, { type: 'email', role: 'secondary', email: 'pat@example.com' }, { recentSecondFactor: true });
      expect(ports.outbox.jobs).toEqual([expect.objectContaining({ channel: 'email', message: expect.objectContaining({ to: 'pat@example.com' }) })]);
      expect(ports.events.types()).toEqual(expect.arrayContaining(['factor.activated', 'recovery_codes.generated']));
    });

    it('signs in with its own factor: the challenge carries its options, a wrong credential counts like a wrong code', async () => {
      const challenges = moduleRef.get(ChallengeService);
      const started = await challenges.begin('customer', subject.subjectId, {});
      const own = started.factors.find((factor) => factor.type === 'static_code')!;
      const answer = await challenges.challenge('customer', started.mfaToken, own.id);
      // The factor's fields come along; which factor and type were chosen is never the factor's to change.
      expect(answer).toEqual({ factorId: own.id, type: 'static_code', options: { digits: 10, challengeId: expect.any(String) } });

      const wrong = await challenges.verify('customer', started.mfaToken, { factorId: own.id, credential: { forged: true } }, {}).catch((error: unknown) => error);
      expect(wrong).toBeInstanceOf(TwoFactorError);
      expect((wrong as TwoFactorError).getStatus()).toBe(401);
      expect((wrong as TwoFactorError).getResponse()).toMatchObject({ code: 'invalid_credential', message: 'That passkey could not be verified.', attemptsRemaining: 3 });
      expect(ports.events.events.at(-1)).toMatchObject({ type: 'mfa.failed', data: { method: 'static_code' } });

      const stored = await db.manager.findOneByOrFail(FactorEntity, { id: own.id });
      const code = moduleRef.get(SecretBox).open(stored.secretSealed!, own.id);
      const signedIn = await challenges.verify('customer', started.mfaToken, { factorId: own.id, code }, {});
      expect(signedIn).toMatchObject({ subjectId: subject.subjectId, method: 'static_code' });
      expect(moduleRef.get(FactorRegistry).get(signedIn.method).amr).toBe('pin');
    });

    it('checks its own active factor with options of the check (challenge id null), and recheck answers them', async () => {
      const factors = moduleRef.get(FactorService);
      const own = (await factors.overview(subject)).factors.find((factor) => factor.type === 'static_code')!;
      // A factor answered with options gets them for the check too, not the {} of a factor that is simply awaited.
      expect(await factors.startCheck(subject, own.id)).toMatchObject({ options: { digits: 10, challengeId: null } });
      const stored = await db.manager.findOneByOrFail(FactorEntity, { id: own.id });
      const checked = await factors.confirm(subject, own.id, { code: moduleRef.get(SecretBox).open(stored.secretSealed!, own.id) }, { recentSecondFactor: false });
      expect(checked.factor).toMatchObject({ id: own.id, status: 'active' });
      expect(ports.events.events.at(-1)).toMatchObject({ type: 'factor.checked' });
    });

    it('joins the host\'s own transaction: the host rolling back undoes what the library wrote in it', async () => {
      const factors = moduleRef.get(FactorService);
      const txHost: TransactionHost<TransactionalAdapterTypeOrm> = moduleRef.get(TransactionHost);
      const hostFailure = new Error('the host\'s own step failed');
      const newcomer = { realm: 'customer' as const, subjectId: '6f1c2d1e-0000-4000-8000-000000000002' };
      let enrolled = '';
      await expect(txHost.withTransaction(async () => {
        enrolled = (await factors.enrol(newcomer, { type: 'totp', role: 'primary', email: 'sam@example.com' }, { recentSecondFactor: false })).factor.id;
        // The library's write is visible inside the host's transaction...
        expect(await txHost.tx.existsBy(FactorEntity, { id: enrolled })).toBe(true);
        throw hostFailure;
      })).rejects.toBe(hostFailure);
      // ...and gone with it.
      expect(enrolled).not.toBe('');
      expect(await db.manager.existsBy(FactorEntity, { id: enrolled })).toBe(false);
    });
  });

  describe('refuses to start with bad options, naming the option', () => {
    it.each([
      ['a policy naming an unregistered type', { ...policies, staff: { ...policies.staff, primaryTypes: ['passkey'] } }, /policies\.staff\.primaryTypes: "passkey" is not a registered factor type/],
      ['a never-primary type as primary', { ...policies, customer: { ...policies.customer, primaryTypes: ['totp', 'email'] } }, /policies\.customer\.primaryTypes: "email" may never be primary/],
    ])('%s', async (_name, badPolicies, message) => {
      await expect(host(testOptions({ policies: badPolicies as never })).compile()).rejects.toThrow(message);
    });

    it('two kinds with one type name', async () => {
      await expect(host(testOptions({ policies }), [TotpFactorModule, EmailFactorModule, StaticCodeFactorModule, ImpostorFactorModule]).compile())
        .rejects.toThrow(/Two factor kinds have the type "static_code"/);
    });

    it('a role list naming no realm', async () => {
      await expect(host(testOptions({ policies, roles: { partner: ['viewer'] } as never })).compile()).rejects.toThrow(/roles\.partner: no such realm/);
    });
  });
});
