import { Module } from '@nestjs/common';
import { TwoFactorEvents } from '@app/twofactor';
import { AuditModule } from '../audit/audit.module';
import { DevicesModule } from '../devices/devices.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { CustomerTokenStrategy } from './customer-token.strategy';
import { PasswordThrottle } from './password-throttle';
import { SessionService } from './session.service';
import { SignInService } from './sign-in.service';
import { TokenPrincipals } from './token-principals';
import { TokenService } from './token.service';
import { TwoFactorEventsSink } from './two-factor-events.sink';

/**
 * Sign-in (password, second factor, step-up), access tokens and their Passport strategies, sessions and
 * refresh tokens, the password throttle, and the library's events port (TwoFactorEvents).
 */
@Module({
  imports: [AuditModule, DevicesModule, NotificationsModule],
  providers: [
    TokenService, SessionService, PasswordThrottle, SignInService, TokenPrincipals, CustomerTokenStrategy,
    { provide: TwoFactorEvents, useClass: TwoFactorEventsSink },
  ],
  exports: [TokenService, SessionService, PasswordThrottle, SignInService, TokenPrincipals, TwoFactorEvents],
})
export class AuthModule {}
