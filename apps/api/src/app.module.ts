import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { EmailFactorModule, SmsFactorModule, TotpFactorModule, TwoFactorAuthGuard, TwoFactorModule } from '@app/twofactor';
import { PasskeysModule } from '@app/passkeys';
import { LoggerModule } from 'nestjs-pino';
import { AccountsModule } from './accounts/accounts.module';
import { BackOfficeModule } from './admin/back-office.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app.config';
import { ConfigModule } from './config/config.module';
import { AppKeys } from './config/keys';
import { DatabaseModule } from './database/database.module';
import { DevModule } from './dev/dev.module';
import { DevicesModule } from './devices/devices.module';
import { HealthModule } from './health/health.module';
import { HttpExceptionFilter } from './http-exception.filter';
import { loggerOptions } from './logging';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { MeModule } from './me/me.module';
import { MetricsModule } from './metrics/metrics.module';
import { DeliveryModule } from './notifications/delivery.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PasswordResetModule } from './password-reset/password-reset.module';
import { ResetsModule } from './resets/resets.module';
import { SignInModule } from './sign-in/sign-in.module';
import { SetupPasswordGuard } from './staff/setup-password.guard';
import { StaffModule } from './staff/staff.module';
import { SupportModule } from './support/support.module';
import { RateLimitModule } from './throttling/rate-limit';
import { TwoFactorPortsModule, twoFactorOptions } from './two-factor.setup';
import { WebhooksModule } from './webhooks/webhooks.module';

/** Only imports: each feature is a module with explicit exports (docs/architecture.md). */
@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerOptions }),
    DatabaseModule,
    // Modules with routes first: Nest lists routes module by module as it meets them (imports included),
    // which is the order of the OpenAPI document and of docs/api.md's route table.
    SignInModule,
    PasswordResetModule,
    MeModule,
    DevicesModule,
    HealthModule,
    MetricsModule,
    DevModule,
    BackOfficeModule,
    StaffModule,
    ResetsModule,
    WebhooksModule,
    DeliveryModule,
    RateLimitModule,
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
    AuditModule,
    NotificationsModule,
    AuthModule,
    AccountsModule,
    SupportModule,
    MaintenanceModule,
  ],
  providers: [
    { provide: APP_GUARD, useExisting: TwoFactorAuthGuard },
    // After the auth guard (global guards run in the order given): it reads the principal that one sets.
    { provide: APP_GUARD, useClass: SetupPasswordGuard },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
  ],
})
export class AppModule {}
