import { ResetsControllers, ResetsProviders } from '../resets/resets';
import { WebhooksControllers, WebhooksProviders } from '../webhooks/webhooks';
import { DemoDataSeeder } from '../staff/demo-data.seeder';
import { StaffActors } from '../staff/staff-actors';
import { StaffController } from '../staff/staff.controller';
import { StaffService } from '../staff/staff.service';
import { StaffTokenStrategy } from '../staff/staff-token.strategy';
import { AdminAuthController } from '../sign-in/admin-auth.controller';
import { AdminMeController } from './admin-me.controller';
import { AuditEventsController } from './audit-events.controller';
import { AuditEventsService } from './audit-events.service';
import { CustomerDirectory } from '../support/customer-directory.service';
import { CustomerSupportService } from '../support/customer-support.service';
import { CustomersController } from './customers.controller';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

/**
 * The back office (staff sign-in, customers, audit, stats, staff accounts) and the Twilio webhook.
 * Registered in AppModule itself: they share SignInService, OwnFactorsService and PasswordHasher
 * with the customer side instead of building second copies.
 */
export const BACK_OFFICE_CONTROLLERS = [
  AdminAuthController, AdminMeController, CustomersController, AuditEventsController, StatsController, StaffController, DeliveriesController,
  ...ResetsControllers, ...WebhooksControllers,
];

export const BACK_OFFICE_PROVIDERS = [
  StaffService, StaffTokenStrategy, StaffActors, DemoDataSeeder, CustomerDirectory, CustomerSupportService, AuditEventsService, StatsService, DeliveriesService,
  ...ResetsProviders, ...WebhooksProviders,
];
