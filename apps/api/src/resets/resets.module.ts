import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { StaffModule } from '../staff/staff.module';
import { SupportModule } from '../support/support.module';
import { CustomerResetsController } from './customer-resets.controller';
import { ResetNotices } from './reset-notices';
import { ResetRunner } from './reset-runner.service';
import { ResetsController } from './resets.controller';
import { SupportResetsService } from './support-resets.service';

/** Support-reset guardrails: four-eyes approval, a delay the customer can use, a runner that runs each once. */
@Module({
  imports: [AuditModule, NotificationsModule, StaffModule, SupportModule],
  controllers: [ResetsController, CustomerResetsController],
  providers: [SupportResetsService, ResetNotices, ResetRunner],
  exports: [SupportResetsService],
})
export class ResetsModule {}
