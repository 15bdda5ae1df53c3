import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { PasswordsModule } from '../passwords/passwords.module';
import { DemoDataSeeder } from './demo-data.seeder';
import { StaffActors } from './staff-actors';
import { StaffTokenStrategy } from './staff-token.strategy';
import { StaffController } from './staff.controller';
import { StaffService } from './staff.service';

/** Staff accounts (roles, setup passwords, enabling), their access-token strategy, and who acts in the back office. */
@Module({
  imports: [AccountsModule, AuditModule, AuthModule, PasswordsModule],
  controllers: [StaffController],
  providers: [StaffService, StaffActors, StaffTokenStrategy, DemoDataSeeder],
  exports: [StaffService, StaffActors],
})
export class StaffModule {}
