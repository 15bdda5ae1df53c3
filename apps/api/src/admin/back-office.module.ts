import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MeModule } from '../me/me.module';
import { ResetsModule } from '../resets/resets.module';
import { StaffModule } from '../staff/staff.module';
import { SupportModule } from '../support/support.module';
import { AdminMeController } from './admin-me.controller';
import { AuditEventsController } from './audit-events.controller';
import { AuditEventsService } from './audit-events.service';
import { CustomersController } from './customers.controller';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

/** The back office (/admin/*): staff's own account, customers, audit events, stats, deliveries. */
@Module({
  imports: [AuditModule, MeModule, ResetsModule, StaffModule, SupportModule],
  controllers: [AdminMeController, CustomersController, AuditEventsController, StatsController, DeliveriesController],
  providers: [AuditEventsService, StatsService, DeliveriesService],
})
export class BackOfficeModule {}
