import { returnedRows } from '@app/twofactor';
import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { ClaimedRow } from './outbox.sender';

// Twilio's final words: a late or repeated callback must not turn "delivered" back into "sent".
const FINAL = `('delivered', 'undelivered', 'failed', 'read', 'canceled')`;

export type ReportedRow = Pick<ClaimedRow, 'id' | 'channel' | 'kind' | 'realm' | 'subject_id' | 'factor_id'> & { status: 'sent' | 'delivered' | 'failed' };

// Each helper takes the TransactionHost, not a manager: it runs in whatever transaction the caller opened.

/**
 * The worker that records a message's sid and a status callback naming that sid take this lock, so
 * a callback that overtakes the worker is parked (message_status_early) and picked up by it, never lost.
 */
async function lockProviderId(txHost: TransactionHost<TransactionalAdapterTypeOrm>, providerId: string): Promise<void> {
  await txHost.tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`delivery-sid:${providerId}`]);
}

/** Applies a provider's status word to the delivery it names; undefined when no delivery has that id yet. */
async function applyStatus(txHost: TransactionHost<TransactionalAdapterTypeOrm>, providerId: string, providerStatus: string, errorCode: string | null, now: Date): Promise<ReportedRow | undefined> {
  const [row] = returnedRows<ReportedRow>(
    await txHost.tx.query(
      `UPDATE message_deliveries SET provider_status = $2::text, updated_at = $3,
         status = CASE WHEN $2::text IN ('delivered', 'read') AND status = 'sent' THEN 'delivered'
                       WHEN $2::text IN ('undelivered', 'failed') AND status IN ('sent', 'delivered') THEN 'failed' ELSE status END,
         last_error = CASE WHEN $2::text IN ('undelivered', 'failed') THEN left('twilio: ' || $2::text || coalesce(' (' || $4::text || ')', ''), 300) ELSE last_error END
       WHERE provider_id = $1 AND (provider_status IS NULL OR provider_status NOT IN ${FINAL})
       RETURNING id, channel, kind, realm, subject_id, factor_id, status`,
      [providerId, providerStatus, now, errorCode],
    ),
  );
  return row;
}

/** A status callback: applied at once, or parked until the worker records the sid. */
export async function recordProviderStatus(
  txHost: TransactionHost<TransactionalAdapterTypeOrm>, providerId: string, providerStatus: string, errorCode: string | null, now: Date,
): Promise<ReportedRow | undefined> {
  await lockProviderId(txHost, providerId);
  const row = await applyStatus(txHost, providerId, providerStatus, errorCode, now);
  if (row) return row;
  const [known] = await txHost.tx.query(`SELECT 1 FROM message_deliveries WHERE provider_id = $1`, [providerId]);
  if (known) return undefined; // a late word after a final one
  // Keeps the most final word when callbacks for one unknown sid arrive out of order.
  await txHost.tx.query(
    `INSERT INTO message_status_early (provider_id, status, error_code, received_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (provider_id) DO UPDATE SET status = EXCLUDED.status, error_code = EXCLUDED.error_code, received_at = EXCLUDED.received_at
     WHERE message_status_early.status NOT IN ${FINAL}`,
    [providerId, providerStatus, errorCode, now],
  );
  return undefined;
}

/** Called by the worker right after it records the sid: a parked callback now applies. */
export async function applyEarlyStatus(txHost: TransactionHost<TransactionalAdapterTypeOrm>, providerId: string, now: Date): Promise<'sent' | 'delivered' | 'failed' | undefined> {
  await lockProviderId(txHost, providerId);
  const [early] = returnedRows<{ status: string; error_code: string | null }>(
    await txHost.tx.query(`DELETE FROM message_status_early WHERE provider_id = $1 RETURNING status, error_code`, [providerId]),
  );
  if (!early) return undefined;
  return (await applyStatus(txHost, providerId, early.status, early.error_code, now))?.status;
}
