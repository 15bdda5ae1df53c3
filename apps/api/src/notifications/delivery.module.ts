import { Global, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { MailerModule, MailerService } from '@nestjs-modules/mailer';
import { getDataSourceToken } from '@nestjs/typeorm';
import {
  BullMqDeliveryQueue, buildMailerOptions, DeliveryError, DeliveryHooks, DeliveryJob, DeliveryQueue, DevOutbox, EmailTransport, InProcessDeliveryQueue,
  OutboxEmailTransport, OutboxSmsTransport, SmsTransport, SmtpEmailTransport, TwilioSmsTransport,
} from '@app/twofactor';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app.config';
import { ConfigModule } from '../config/config.module';
import { recordChannelOutcome } from './channel-health';
import { MetricsService } from '../metrics/metrics.service';
import { MessageDelivery } from './message-delivery.entity';
import { UnconfiguredEmailTransport, UnconfiguredSmsTransport } from './unconfigured.transports';

/**
 * Chooses the real providers when configured (Twilio, SMTP) and the dev outbox otherwise, and sends
 * through a queue: BullMQ on Redis when REDIS_URL is set, in-process otherwise.
 */
@Global()
@Module({
  imports: [
    MailerModule.forRootAsync({
      imports: [ConfigModule],
      inject: [AppConfig],
      // Without SMTP_URL the mailer is built but never used: email goes to the dev outbox.
      useFactory: (config: AppConfig) => buildMailerOptions({ smtpUrl: config.SMTP_URL ?? 'smtp://127.0.0.1:1', from: config.MAIL_FROM }),
    }),
  ],
  providers: [
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
    {
      provide: DeliveryQueue,
      inject: [AppConfig, SmsTransport, EmailTransport, getDataSourceToken(), MetricsService],
      useFactory: (config: AppConfig, sms: SmsTransport, email: EmailTransport, db: DataSource, metrics: MetricsService) => {
        const hooks = deliveryRecorder(db, metrics);
        return config.REDIS_URL
          ? new BullMqDeliveryQueue({ redisUrl: config.REDIS_URL, sms, email, ...hooks })
          : new InProcessDeliveryQueue({ sms, email, ...hooks });
      },
    },
  ],
  exports: [DevOutbox, SmsTransport, EmailTransport, DeliveryQueue],
})
export class DeliveryModule implements OnApplicationShutdown {
  constructor(
    private readonly queue: DeliveryQueue,
    metrics: MetricsService,
  ) {
    metrics.watchQueueDepth(() => queue.depth());
  }

  /** Lets queued messages go out (in-process) or hands them back to Redis (BullMQ) before exit. */
  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}

/** Records each hand-over to a provider (not the content) for the dashboard and status callbacks. */
function deliveryRecorder(db: DataSource, metrics: MetricsService): DeliveryHooks {
  const logger = new Logger('Deliveries');
  const save = async (job: DeliveryJob, row: Partial<MessageDelivery>, healthStatus: string | null) => {
    metrics.delivery(row.channel ?? 'unknown', row.status ?? 'unknown');
    const now = new Date();
    const factorId = job.meta?.factorId ?? null;
    try {
      await db.manager.insert(MessageDelivery, { createdAt: now, updatedAt: now, factorId, purpose: job.meta?.purpose ?? null, ...row });
      if (factorId && healthStatus) await recordChannelOutcome(db.manager, { factorId, channel: job.channel, status: healthStatus, at: now });
    } catch (error) {
      // Losing a statistic must never fail a delivery.
      logger.warn(`Could not record a delivery: ${(error as Error).name}`);
    }
  };
  return {
    onDelivered: (result, job) =>
      save(job, { channel: job.channel, provider: result.provider, providerId: result.providerId ?? null, status: result.status }, result.status),
    // Only a refusal the provider will repeat (unknown number, mailbox refused) says the channel is
    // broken; an outage of the provider itself is not the customer's channel failing.
    onFailed: (error, job) =>
      save(
        job,
        { channel: job.channel, provider: job.channel === 'sms' ? 'twilio' : 'smtp', status: 'failed' },
        error instanceof DeliveryError && !error.retryable ? 'failed' : null,
      ),
  };
}
