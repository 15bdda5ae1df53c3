import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuthModule } from '../auth/auth.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ResetsModule } from '../resets/resets.module';
import { MeController, MeFactorsController } from './me.controller';
import { OwnFactorsService } from './own-factors.service';
import { TokenInfoController } from './token-info.controller';

/** The customer's own account, logins and factors; OwnFactorsService also serves staff's own factors (back office). */
@Module({
  imports: [AccountsModule, AuthModule, NotificationsModule, ResetsModule],
  controllers: [MeController, MeFactorsController, TokenInfoController],
  providers: [OwnFactorsService],
  exports: [OwnFactorsService],
})
export class MeModule {}
