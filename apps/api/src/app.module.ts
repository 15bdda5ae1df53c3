import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { EmailFactorModule, SmsFactorModule, TotpFactorModule, TwoFactorAuthGuard, TwoFactorModule } from '@app/twofactor';
import { PasskeysModule } from '@app/passkeys';
import { LoggerModule } from 'nestjs-pino';
import { AccountsService } from './accounts/accounts.service';
import { BACK_OFFICE_CONTROLLERS, BACK_OFFICE_PROVIDERS } from './admin/back-office';
import { PasswordHasher } from './accounts/passwords/password-hasher';
import { AuthController } from './auth/auth.controller';
import { SignInService } from './auth/sign-in.service';
import { PasswordThrottle } from './auth/password-throttle';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { AppConfig } from './config/app.config';
import { ConfigModule } from './config/config.module';
import { AppKeys } from './config/keys';
import { DatabaseModule } from './database/database.module';
import { DevOutboxController } from './dev/dev-outbox.controller';
import { HealthController } from './health/health.controller';
import { RedisProbe } from './health/redis-probe';
import { MeController, MeFactorsController } from './me/me.controller';
import { MeDevicesController } from './devices/me-devices.controller';
import { PasswordResetController } from './password-reset/password-reset.controller';
import { PasswordResetService } from './password-reset/password-reset.service';
import { OwnFactorsService } from './me/own-factors.service';
import { KeyRotationService } from './maintenance/key-rotation.service';
import { PurgeService } from './maintenance/purge.service';
import { DeliveryModule } from './notifications/delivery.module';
import { RateLimitModule } from './throttling/rate-limit';
import { TwoFactorPortsModule, twoFactorOptions } from './two-factor.setup';
import { SetupPasswordGuard } from './staff/setup-password.guard';
import { loggerOptions } from './logging';
import { MetricsModule } from './metrics/metrics.module';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerOptions }),
    DatabaseModule,
    MetricsModule,
    DeliveryModule,
    RateLimitModule,
    TwoFactorPortsModule,
    TwoFactorModule.forRootAsync({
      isGlobal: true,
      imports: [TwoFactorPortsModule],
      inject: [AppConfig, AppKeys],
      useFactory: twoFactorOptions,
      factors: [
        TotpFactorModule, SmsFactorModule, EmailFactorModule,
        PasskeysModule.forRootAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => config.passkeys }),
      ],
    }),
  ],
  controllers: [AuthController, PasswordResetController, MeController, MeFactorsController, MeDevicesController, HealthController, DevOutboxController, ...BACK_OFFICE_CONTROLLERS],
  providers: [
    AccountsService,
    PasswordHasher,
    SignInService,
    PasswordThrottle,
    PasswordResetService,
    OwnFactorsService,
    PurgeService,
    KeyRotationService,
    RedisProbe,
    ...BACK_OFFICE_PROVIDERS,
    { provide: APP_GUARD, useExisting: TwoFactorAuthGuard },
    // After the auth guard (global guards run in the order given): it reads the principal that one sets.
    { provide: APP_GUARD, useClass: SetupPasswordGuard },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
  ],
})
export class AppModule {}
