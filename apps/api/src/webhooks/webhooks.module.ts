import { Module } from '@nestjs/common';
import { TwilioStatusController } from './twilio-status.controller';
import { TwilioStatusService } from './twilio-status.service';

/** Providers' delivery reports (Twilio status callbacks), checked by signature. */
@Module({
  controllers: [TwilioStatusController],
  providers: [TwilioStatusService],
})
export class WebhooksModule {}
