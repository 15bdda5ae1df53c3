import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock, isValidTwilioSignature } from '@app/twofactor';
import { AppConfig } from '../config/app.config';
import { MetricsService } from '../metrics/metrics.service';
import { recordProviderStatus } from '../notifications/outbox/early-status';
import { OutboxSender } from '../notifications/outbox/outbox.sender';
import { webhookError } from './webhooks.errors';

export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';

/**
 * Twilio's message status callbacks, checked against X-Twilio-Signature, update the delivery record;
 * one that arrives before the worker recorded the message's sid is parked until it does.
 */
@Injectable()
export class TwilioStatusService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    private readonly sender: OutboxSender,
  ) {}

  async handle(signature: string | undefined, params: Record<string, unknown>): Promise<void> {
    const fields = Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    // Without Twilio configured nothing can be checked, so nothing is believed.
    const token = this.config.smsConfigured ? this.config.TWILIO_AUTH_TOKEN! : '';
    if (!isValidTwilioSignature(token, signature, `${this.config.publicBaseUrl}${TWILIO_STATUS_PATH}`, fields)) {
      throw webhookError('invalid_signature');
    }
    const sid = fields.MessageSid ?? fields.SmsSid;
    const status = (fields.MessageStatus ?? fields.SmsStatus)?.toLowerCase();
    if (!sid || !status || sid.length > 128 || !/^[a-z_-]{1,32}$/.test(status)) return;
    this.metrics.delivery('sms', status);
    const errorCode = /^\d{1,16}$/.test(fields.ErrorCode ?? '') ? fields.ErrorCode : null;
    const row = await this.txHost.withTransaction(() => recordProviderStatus(this.txHost, sid, status, errorCode, this.clock.now()));
    if (row && (status === 'delivered' || row.status === 'failed')) {
      await this.sender.report(row, row.status === 'failed' ? { status: 'failed', reason: `twilio: ${status}`, permanent: true } : { status: 'delivered', reason: null, permanent: false });
    }
  }
}
