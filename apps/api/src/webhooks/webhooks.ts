import { TwilioStatusController } from './twilio-status.controller';
import { TwilioStatusService } from './twilio-status.service';

export const WebhooksControllers = [TwilioStatusController];
export const WebhooksProviders = [TwilioStatusService];
