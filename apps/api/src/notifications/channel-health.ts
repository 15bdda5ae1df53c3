import { EntityManager } from 'typeorm';

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
 * The one place delivery outcomes reach a factor's health: a failure adds to the run, the third in a
 * row marks the channel failing; a delivery (or, in the library, a verified code) makes it ok again.
 * One UPDATE, so outcomes arriving together never lose a count.
 */
export async function recordChannelOutcome(manager: EntityManager, outcome: DeliveryOutcome): Promise<void> {
  const verdict = verdictOf(outcome.channel, outcome.status);
  await manager.query(
    `UPDATE mfa_factors SET
       delivery_failures_in_row = CASE $2 WHEN 'failed' THEN LEAST(delivery_failures_in_row + 1, 1000)
                                          WHEN 'delivered' THEN 0 ELSE delivery_failures_in_row END,
       health_status = CASE WHEN $2 = 'failed' AND delivery_failures_in_row + 1 >= $5 THEN 'failing'
                            WHEN $2 = 'delivered' THEN 'ok' ELSE health_status END,
       last_delivery_status = $3, last_delivery_at = $4
     WHERE id = $1 AND type IN ('sms', 'email')`,
    [outcome.factorId, verdict, outcome.status.slice(0, 32), outcome.at, FAILURES_UNTIL_FAILING],
  );
}
