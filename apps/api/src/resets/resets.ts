import { CustomerResetsController } from './customer-resets.controller';
import { ResetNotices } from './reset-notices';
import { ResetRunner } from './reset-runner.service';
import { ResetsController } from './resets.controller';
import { SupportResetsService } from './support-resets.service';

/** Support-reset guardrails: four-eyes approval, a delay the customer can use, a runner that runs each once. */
export const ResetsControllers = [ResetsController, CustomerResetsController];
export const ResetsProviders = [SupportResetsService, ResetNotices, ResetRunner];
