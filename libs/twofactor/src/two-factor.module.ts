import { ConfigurableModuleBuilder, DynamicModule, Module, Type } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ChallengeService } from './challenges/challenge.service';
import { Lockout } from './challenges/lockout';
import { Clock, SystemClock } from './clock/clock';
import { CodeHasher } from './crypto/code-hasher';
import { CryptoRandomSource, RandomSource } from './crypto/random-source';
import { SecretBox } from './crypto/secret-box';
import { FactorRegistry } from './factors/factor-registry';
import { FactorService } from './factors/factor.service';
import { OneTimeCodes } from './factors/one-time-codes';
import { TotpAlgorithm } from './factors/totp/totp.algorithm';
import { FACTOR_KIND_KEY, SecondFactor } from './factors/second-factor';
import { TwoFactorAuthGuard } from './guards/two-factor-auth.guard';
import { RecoveryCodes } from './recovery-codes/recovery-codes.service';
import { TwoFactorOptions } from './two-factor.options';
import { TwoFactorStartupCheck } from './options-check';

type Tx = TransactionHost<TransactionalAdapterTypeOrm>;

/** A Nest module (static or dynamic) whose providers include `@FactorKind()` classes. */
export type FactorModule = Type<unknown> | DynamicModule;

export interface TwoFactorModuleExtras {
  /** Default true. Factor modules inject the library's providers (Clock, SecretBox…), so it must stay global when `factors` is given. */
  isGlobal?: boolean;
  /** The kinds of factor offered: the built-in TotpFactorModule, SmsFactorModule, EmailFactorModule and any of the host's own. */
  factors?: FactorModule[];
}

const FACTOR_MODULES = Symbol('FACTOR_MODULES');

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<TwoFactorOptions>()
  .setClassMethodName('forRoot')
  .setExtras<TwoFactorModuleExtras>({ isGlobal: true, factors: [] }, (definition, { isGlobal = true, factors = [] }) => {
    if (!isGlobal && factors.length) throw new Error('TwoFactorModule: isGlobal must stay true when factors are given (factor modules inject the library\'s providers)');
    return {
      ...definition,
      global: isGlobal,
      // Known when the module is defined, like isGlobal: the factor modules become imports, so Nest creates their providers.
      imports: [...(definition.imports ?? []), DiscoveryModule, ...factors],
      providers: [...(definition.providers ?? []), { provide: FACTOR_MODULES, useValue: factors.map(moduleClassOf) }],
    };
  })
  .build();

function moduleClassOf(factorModule: FactorModule): Type<unknown> {
  return 'module' in factorModule ? factorModule.module : factorModule;
}

/** The `@FactorKind()` providers of the given modules, once Nest has created them. */
function discoverFactors(discovery: DiscoveryService, modules: readonly Type<unknown>[]): SecondFactor[] {
  return discovery
    .getProviders({ metadataKey: FACTOR_KIND_KEY })
    .filter((wrapper) => wrapper.host && modules.includes(wrapper.host.metatype as Type<unknown>))
    .map((wrapper) => {
      if (!wrapper.isDependencyTreeStatic() || !wrapper.instance) {
        throw new Error(`Factor kind ${wrapper.name as string} is not a created singleton: factor kinds cannot be request-scoped or used before startup ends`);
      }
      return wrapper.instance as SecondFactor;
    });
}

/**
 * The two-factor library as one dynamic module. The application provides, through `imports`, the
 * ports: a TypeORM DataSource and, over it, the TransactionHost (import `transactionHostModule()` once,
 * globally, so the app's transactions and the library's are the same ones), a DeliveryOutbox (global), TwoFactorEvents, and one Passport strategy per realm
 * named accessTokenStrategy(realm) that checks access tokens; through `factors`, the modules of the factor kinds it offers.
 */
@Module({
  providers: [
    { provide: TwoFactorOptions, useExisting: MODULE_OPTIONS_TOKEN },
    { provide: Clock, useClass: SystemClock },
    { provide: RandomSource, useClass: CryptoRandomSource },
    { provide: SecretBox, inject: [TwoFactorOptions, RandomSource], useFactory: (o: TwoFactorOptions, r: RandomSource) => new SecretBox(o.encryptionKeys, r) },
    { provide: CodeHasher, inject: [TwoFactorOptions], useFactory: (o: TwoFactorOptions) => new CodeHasher(o.codeHashKey) },
    { provide: TotpAlgorithm, inject: [RandomSource], useFactory: (r: RandomSource) => new TotpAlgorithm(r) },
    { provide: OneTimeCodes, inject: [TwoFactorOptions, CodeHasher, RandomSource, Clock, TransactionHost], useFactory: (o: TwoFactorOptions, h: CodeHasher, r: RandomSource, c: Clock, t: Tx) => new OneTimeCodes(o, h, r, c, t) },
    { provide: Lockout, inject: [TwoFactorOptions, Clock, TransactionHost], useFactory: (o: TwoFactorOptions, c: Clock, t: Tx) => new Lockout(o, c, t) },
    { provide: RecoveryCodes, inject: [CodeHasher, RandomSource, Clock, TransactionHost], useFactory: (h: CodeHasher, r: RandomSource, c: Clock, t: Tx) => new RecoveryCodes(h, r, c, t) },
    {
      // The one list of factor types: whatever @FactorKind() providers the factor modules bring. Read on first
      // use (TwoFactorStartupCheck's, at init), once Nest has created every provider.
      provide: FactorRegistry,
      inject: [DiscoveryService, FACTOR_MODULES],
      useFactory: (discovery: DiscoveryService, modules: Type<unknown>[]) => new FactorRegistry(() => discoverFactors(discovery, modules)),
    },
    TwoFactorStartupCheck,
    ChallengeService,
    FactorService,
    TwoFactorAuthGuard,
  ],
  exports: [TwoFactorOptions, Clock, RandomSource, FactorRegistry, FactorService, ChallengeService, TwoFactorAuthGuard, RecoveryCodes, Lockout, CodeHasher, SecretBox, TotpAlgorithm, OneTimeCodes],
})
export class TwoFactorModule extends ConfigurableModuleClass {}
