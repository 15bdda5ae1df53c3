import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, isValidTwilioSignature, returnedRows } from '@app/twofactor';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app.config';
import { MetricsService } from '../metrics/metrics.service';
import { recordChannelOutcome } from '../notifications/channel-health';
import { webhookError } from './webhooks.errors';

export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';

// Twilio's final states: a late or repeated callback must not turn "delivered" back into "sent".
const FINAL = `('delivered', 'undelivered', 'failed', 'read', 'canceled')`;

/** Twilio's message status callbacks, checked against X-Twilio-Signature, update the delivery record. */
@Injectable()
export class TwilioStatusService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
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
    const now = this.clock.now();
    await this.db.transaction(async (manager) => {
      const updated = returnedRows<{ factor_id: string | null }>(
        await manager.query(
          `UPDATE message_deliveries SET status = $2, updated_at = $3 WHERE provider_id = $1 AND status NOT IN ${FINAL} RETURNING factor_id`,
          [sid, status, now],
        ),
      );
      // Only a change of state counts: a repeated final callback must not count a failure twice.
      for (const { factor_id: factorId } of updated) {
        if (factorId) await recordChannelOutcome(manager, { factorId, channel: 'sms', status, at: now });
      }
    });
  }
}
