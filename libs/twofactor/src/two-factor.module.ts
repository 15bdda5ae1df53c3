import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import { ChallengeService } from './challenges/challenge.service';
import { Lockout } from './challenges/lockout';
import { Clock, SystemClock } from './clock/clock';
import { CodeHasher } from './crypto/code-hasher';
import { CryptoRandomSource, RandomSource } from './crypto/random-source';
import { SecretBox } from './crypto/secret-box';
import { EmailFactor } from './factors/email/email.factor';
import { FactorRegistry } from './factors/factor-registry';
import { FactorService } from './factors/factor.service';
import { OneTimeCodes } from './factors/one-time-codes';
import { SmsFactor } from './factors/sms/sms.factor';
import { TotpAlgorithm } from './factors/totp/totp.algorithm';
import { TotpFactor } from './factors/totp/totp.factor';
import { TwoFactorAuthGuard } from './guards/two-factor-auth.guard';
import { RecoveryCodes } from './recovery-codes/recovery-codes.service';
import { TwoFactorOptions } from './two-factor.options';

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } = new ConfigurableModuleBuilder<TwoFactorOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * The two-factor library as one dynamic module. The application provides, through `imports`, the
 * ports: a TypeORM DataSource, a DeliveryOutbox (global), TwoFactorEvents, and one Passport strategy per realm
 * named accessTokenStrategy(realm) that checks access tokens.
 */
@Module({
  providers: [
    { provide: TwoFactorOptions, useExisting: MODULE_OPTIONS_TOKEN },
    { provide: Clock, useClass: SystemClock },
    { provide: RandomSource, useClass: CryptoRandomSource },
    { provide: SecretBox, inject: [TwoFactorOptions, RandomSource], useFactory: (o: TwoFactorOptions, r: RandomSource) => new SecretBox(o.encryptionKeys, r) },
    { provide: CodeHasher, inject: [TwoFactorOptions], useFactory: (o: TwoFactorOptions) => new CodeHasher(o.codeHashKey) },
    { provide: TotpAlgorithm, inject: [RandomSource], useFactory: (r: RandomSource) => new TotpAlgorithm(r) },
    { provide: OneTimeCodes, inject: [TwoFactorOptions, CodeHasher, RandomSource, Clock], useFactory: (o: TwoFactorOptions, h: CodeHasher, r: RandomSource, c: Clock) => new OneTimeCodes(o, h, r, c) },
    { provide: Lockout, inject: [TwoFactorOptions, Clock], useFactory: (o: TwoFactorOptions, c: Clock) => new Lockout(o, c) },
    { provide: RecoveryCodes, inject: [CodeHasher, RandomSource, Clock], useFactory: (h: CodeHasher, r: RandomSource, c: Clock) => new RecoveryCodes(h, r, c) },
    {
      // The one list of factor types.
      provide: FactorRegistry,
      inject: [TwoFactorOptions, TotpAlgorithm, SecretBox, Clock, OneTimeCodes],
      useFactory: (o: TwoFactorOptions, totp: TotpAlgorithm, box: SecretBox, clock: Clock, codes: OneTimeCodes) =>
        new FactorRegistry([new TotpFactor(o, totp, box, clock), new SmsFactor(o, codes), new EmailFactor(o, codes)]),
    },
    ChallengeService,
    FactorService,
    TwoFactorAuthGuard,
  ],
  exports: [TwoFactorOptions, Clock, RandomSource, FactorRegistry, FactorService, ChallengeService, TwoFactorAuthGuard, RecoveryCodes, Lockout, CodeHasher, SecretBox, TotpAlgorithm],
})
export class TwoFactorModule extends ConfigurableModuleClass {}
