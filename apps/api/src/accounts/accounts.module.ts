import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { DevicesModule } from '../devices/devices.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PasswordsModule } from '../passwords/passwords.module';
import { AccountsService } from './accounts.service';

/** Customers' accounts: registration, password check and change. */
@Module({
  imports: [AuditModule, AuthModule, DevicesModule, NotificationsModule, PasswordsModule],
  providers: [AccountsService],
  exports: [AccountsService],
})
export class AccountsModule {}
