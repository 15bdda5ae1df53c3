import { Global, Module } from '@nestjs/common';
import { MAILER_OPTIONS, MailerService } from '@nestjs-modules/mailer';
import {
  buildMailerOptions, DeliveryOutbox, DevOutbox, EmailTransport, OutboxEmailTransport, OutboxSmsTransport, SmsTransport, SmtpEmailTransport, TwilioSmsTransport,
} from '@app/twofactor';
import { AppConfig } from '../config/app.config';
import { MetricsService } from '../metrics/metrics.service';
import { DeliveryOutcomes } from './outbox/delivery-outcomes';
import { OutboxDispatcher } from './outbox/outbox.dispatcher';
import { OutboxSender } from './outbox/outbox.sender';
import { OutboxWriter } from './outbox/outbox.writer';
import { UnconfiguredEmailTransport, UnconfiguredSmsTransport } from './unconfigured.transports';

/**
 * Chooses the real providers when configured (Twilio, SMTP) and the dev outbox otherwise. Messages
 * leave through the transactional outbox (DeliveryOutbox → message_deliveries rows), sent by
 * OutboxDispatcher: through BullMQ when REDIS_URL is set, in this process otherwise.
 *
 * The mailer is a provider of this module rather than MailerModule's (a global module, which Nest
 * destroys before this one): within a module Nest destroys dependants first, so the dispatcher has
 * stopped before the mailer closes its SMTP pool, and no send is started on a closed pool.
 */
@Global()
@Module({
  providers: [
    {
      provide: MAILER_OPTIONS,
      inject: [AppConfig],
      // Without SMTP_URL the mailer is built but never used (a pool connects on its first message).
      useFactory: (config: AppConfig) => buildMailerOptions({ smtpUrl: config.SMTP_URL ?? 'smtp://127.0.0.1:1', from: config.MAIL_FROM }),
    },
    MailerService,
    { provide: DevOutbox, useFactory: () => new DevOutbox() },
    {
      provide: SmsTransport,
      inject: [AppConfig, DevOutbox],
      useFactory: (config: AppConfig, outbox: DevOutbox) =>
        config.smsConfigured
          ? new TwilioSmsTransport({
              accountSid: config.TWILIO_ACCOUNT_SID!,
              authToken: config.TWILIO_AUTH_TOKEN!,
              from: config.TWILIO_FROM,
              messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
              apiBaseUrl: config.TWILIO_API_BASE_URL,
              statusCallbackUrl: `${config.publicBaseUrl}/webhooks/twilio/status`,
            })
          : config.devOutboxEnabled
            ? new OutboxSmsTransport(outbox)
            : new UnconfiguredSmsTransport(),
    },
    {
      provide: EmailTransport,
      inject: [AppConfig, DevOutbox, MailerService],
      useFactory: (config: AppConfig, outbox: DevOutbox, mailer: MailerService) =>
        config.SMTP_URL ? new SmtpEmailTransport(mailer) : config.devOutboxEnabled ? new OutboxEmailTransport(outbox) : new UnconfiguredEmailTransport(),
    },
    DeliveryOutcomes,
    OutboxSender,
    OutboxDispatcher,
    OutboxWriter,
    { provide: DeliveryOutbox, useExisting: OutboxWriter },
  ],
  exports: [DevOutbox, SmsTransport, EmailTransport, DeliveryOutbox, OutboxWriter, OutboxDispatcher, OutboxSender, DeliveryOutcomes],
})
export class DeliveryModule {
  constructor(dispatcher: OutboxDispatcher, metrics: MetricsService) {
    metrics.watchQueueDepth(() => dispatcher.depth());
  }
}
