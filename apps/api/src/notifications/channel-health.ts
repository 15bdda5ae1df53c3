import { FactorMaintenance } from '@app/twofactor';
import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';

/** Failed deliveries in a row after which a channel counts as failing. */
export const FAILURES_UNTIL_FAILING = 3;

export interface DeliveryOutcome {
  /** The SMS or email factor the message was for. */
  factorId: string;
  channel: 'sms' | 'email';
  /** The provider's word: Twilio's queued/sent/delivered/undelivered/failed, SMTP sent, or failed. */
  status: string;
  at: Date;
}

type Verdict = 'delivered' | 'failed' | 'in_flight';

// Twilio reports delivery to the handset; SMTP acceptance is the most an email ever reports.
const DELIVERED: Record<DeliveryOutcome['channel'], ReadonlySet<string>> = {
  sms: new Set(['delivered', 'read']),
  email: new Set(['sent', 'delivered']),
};
const FAILED = new Set(['undelivered', 'failed', 'refused']);

export function verdictOf(channel: DeliveryOutcome['channel'], status: string): Verdict {
  if (FAILED.has(status)) return 'failed';
  return DELIVERED[channel].has(status) ? 'delivered' : 'in_flight';
}

/**
 * The one place delivery outcomes reach a factor's health (the library's FactorMaintenance writes it): a
 * failure adds to the run, the third in a row marks the channel failing; a delivery (or, in the library, a
 * verified code) makes it ok again.
 */
export async function recordChannelOutcome(txHost: TransactionHost<TransactionalAdapterTypeOrm>, outcome: DeliveryOutcome): Promise<void> {
  const verdict = verdictOf(outcome.channel, outcome.status);
  await FactorMaintenance.recordDeliveryOutcome(txHost.tx, { factorId: outcome.factorId, verdict, status: outcome.status, at: outcome.at }, FAILURES_UNTIL_FAILING);
}
