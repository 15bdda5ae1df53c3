import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { recordChannelOutcome } from '../channel-health';

/** What became of one message, as far as the provider has told us. Never its content or recipient. */
export interface DeliveryOutcome {
  deliveryId: string;
  channel: 'sms' | 'email';
  kind: 'code' | 'notice';
  realm: string | null;
  subjectId: string | null;
  factorId: string | null;
  /** `sent` (accepted; final for email), `delivered` (Twilio's callback) or `failed` (the dead letter). */
  status: 'sent' | 'delivered' | 'failed';
  /** Why it failed: a safe one-line description (provider and error code), else null. */
  reason: string | null;
  /** True when trying again cannot help (Twilio 21211, an SMTP 5xx, an undelivered callback). */
  permanent: boolean;
  at: Date;
}

/**
 * The one hook for what happens to messages after they leave (channel health attaches here): called
 * once a message is accepted, delivered or has failed for good. It runs after the outcome is stored;
 * an implementation that throws is logged and never undoes or repeats a send.
 */
@Injectable()
export class DeliveryOutcomes {
  private readonly logger = new Logger('Deliveries');

  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  async recorded(outcome: DeliveryOutcome): Promise<void> {
    if (outcome.status === 'failed') {
      this.logger.warn(`${outcome.channel} ${outcome.kind} delivery ${outcome.deliveryId} failed: ${outcome.reason ?? 'unknown'}`);
    }
    const status = channelStatus(outcome);
    if (outcome.factorId && status) {
      await recordChannelOutcome(this.txHost, { factorId: outcome.factorId, channel: outcome.channel, status, at: outcome.at });
    }
  }
}

/**
 * What an outcome says about the customer's channel. Only a refusal the provider will repeat (an unknown
 * number, a refused mailbox, an undelivered callback) says the channel is broken; a provider outage that
 * ran out of retries is not the customer's channel failing.
 */
function channelStatus(outcome: DeliveryOutcome): string | null {
  if (outcome.status !== 'failed') return outcome.status;
  return outcome.permanent ? 'failed' : null;
}
