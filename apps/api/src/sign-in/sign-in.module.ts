import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuthModule } from '../auth/auth.module';
import { PasswordResetModule } from '../password-reset/password-reset.module';
import { StaffModule } from '../staff/staff.module';
import { AdminAuthController } from './admin-auth.controller';
import { AuthController } from './auth.controller';

/** The sign-in routes of both realms (/auth/*, /admin/auth/*): above accounts, staff and password reset, which they use. */
@Module({
  imports: [AccountsModule, AuthModule, PasswordResetModule, StaffModule],
  controllers: [AuthController, AdminAuthController],
})
export class SignInModule {}
