import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import {
  Clock, DeliveryResult, describeDeliveryFailure, EmailTransport, isRetryable, returnedRows, SecretBox, sendJob, SmsTransport,
} from '@app/twofactor';
import { AppConfig } from '../../config/app.config';
import { MetricsService } from '../../metrics/metrics.service';
import { DeliveryOutcome, DeliveryOutcomes } from './delivery-outcomes';
import { applyEarlyStatus } from './early-status';
import { openMessage } from './sealed-message';

/** The columns a worker needs, as PostgreSQL returns them. */
export interface ClaimedRow {
  id: string;
  channel: 'sms' | 'email';
  kind: 'code' | 'notice';
  realm: string | null;
  subject_id: string | null;
  factor_id: string | null;
  payload: string | null;
  attempts: number;
  expires_at: Date | null;
}

const RETURNED = `id, channel, kind, realm, subject_id, factor_id, payload, attempts, expires_at`;
// A code is never kept once it can no longer be sent; a failed notice keeps its (sealed) message so
// an agent can re-send it.
const FORGET_CODE = `payload = CASE WHEN kind = 'code' THEN NULL ELSE payload END`;

export type SendOutcome = 'sent' | 'retry' | 'failed' | 'expired' | 'skipped';

/** A claimed row its provider took. */
interface Accepted {
  row: ClaimedRow;
  result: DeliveryResult;
}

/**
 * Sends one outbox row. Every step is a conditional UPDATE, so whichever worker (process, BullMQ job,
 * instance) gets there first owns the row and the others do nothing: one row, at most one message.
 */
@Injectable()
export class OutboxSender {
  private readonly logger = new Logger('Deliveries');

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly sms: SmsTransport,
    private readonly email: EmailTransport,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly outcomes: DeliveryOutcomes,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Claims the given rows in one statement and sends those it got (a BullMQ job's rows, a fallback
   * send): whoever claims a row first sends it, the others skip it. Outcomes in the order of `ids`.
   */
  async sendRows(ids: string[]): Promise<SendOutcome[]> {
    const rows = await this.claim(ids);
    const outcomes = new Map<string, SendOutcome>();
    (await this.deliver(rows)).forEach((outcome, index) => outcomes.set(rows[index].id, outcome));
    return ids.map((id) => outcomes.get(id) ?? 'skipped');
  }

  /**
   * Claims up to `limit` due rows in one statement and sends them all at once, so none waits in memory
   * on its lease. Returns how many it claimed: as many as asked means more may be due.
   */
  async sendDue(limit: number): Promise<number> {
    const now = this.clock.now();
    const rows = returnedRows<ClaimedRow>(
      await this.txHost.tx.query(
        `UPDATE message_deliveries SET status = 'sending', attempts = attempts + 1, locked_until = $2, updated_at = $1
         WHERE id IN (SELECT id FROM message_deliveries
                      WHERE status = 'pending' AND next_attempt_at <= $1 AND (expires_at IS NULL OR expires_at > $1)
                      ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING ${RETURNED}`,
        [now, this.leaseEnd(now), limit],
      ),
    );
    await this.deliver(rows);
    return rows.length;
  }

  /**
   * pending (or enqueued for BullMQ) → sending, with a lease. From here on a provider may have the
   * message, so a worker that dies leaves the row to the lease reaper, which fails it rather than
   * risk a second message.
   */
  private async claim(ids: string[]): Promise<ClaimedRow[]> {
    const now = this.clock.now();
    return returnedRows<ClaimedRow>(
      await this.txHost.tx.query(
        `UPDATE message_deliveries SET status = 'sending', attempts = attempts + 1, locked_until = $3, updated_at = $2
         WHERE id = ANY($1::uuid[]) AND status IN ('pending', 'enqueued') AND next_attempt_at <= $2
         RETURNING ${RETURNED}`,
        [ids, now, this.leaseEnd(now)],
      ),
    );
  }

  private leaseEnd(now: Date): Date {
    return new Date(now.getTime() + this.config.DELIVERY_LEASE_SECONDS * 1000);
  }

  /**
   * Hands claimed rows to their providers together, then records the accepted ones in one go: a row
   * waits for the slowest send of its batch (each bounded by its provider's timeout) to be marked sent.
   */
  private async deliver(rows: ClaimedRow[]): Promise<SendOutcome[]> {
    const settled = await Promise.allSettled(rows.map((row) => this.attempt(row)));
    const attempts = settled.flatMap((attempt) => (attempt.status === 'fulfilled' ? [attempt.value] : []));
    // What the providers took is recorded even when another row of the batch failed to be recorded
    // (a database error): else the reaper would later report those messages as lost.
    await this.recordAccepted(attempts.flatMap((attempt) => ('result' in attempt ? [attempt] : [])));
    const failure = settled.find((attempt) => attempt.status === 'rejected');
    if (failure) throw failure.reason;
    return attempts.map((attempt) => ('result' in attempt ? 'sent' : attempt.outcome));
  }

  private async attempt(row: ClaimedRow): Promise<Accepted | { outcome: SendOutcome }> {
    if (row.expires_at && new Date(row.expires_at) <= this.clock.now()) {
      // A code nobody can use any more is not worth a message (and must not sit in the table).
      await this.txHost.tx.query(`UPDATE message_deliveries SET status = 'expired', payload = NULL, locked_until = NULL, updated_at = $2 WHERE id = $1 AND status = 'sending'`, [row.id, this.clock.now()]);
      this.metrics.delivery(row.channel, 'expired');
      return { outcome: 'expired' };
    }
    try {
      if (!row.payload) throw new Error('The message is no longer stored');
      return { row, result: await sendJob(openMessage(this.box, row.id, row.payload), { sms: this.sms, email: this.email }) };
    } catch (error) {
      return { outcome: await this.failed(row, error) };
    }
  }

  /**
   * sending → sent. Only SMS has status callbacks (Twilio's), which may have arrived before the sid was
   * recorded, so each SMS is its own transaction with them; emails can have none parked, so all the
   * emails of one batch are recorded by one UPDATE.
   */
  private async recordAccepted(accepted: Accepted[]): Promise<void> {
    const now = this.clock.now();
    const withCallbacks = accepted.filter(({ row, result }) => row.channel === 'sms' && result.providerId);
    const plain = accepted.filter((sent) => !withCallbacks.includes(sent));
    const recorded = new Map<string, 'sent' | 'delivered' | 'failed'>();
    if (plain.length) (await this.markSent(plain, now)).forEach((id) => recorded.set(id, 'sent'));
    for (const sms of withCallbacks) {
      const status = await this.txHost.withTransaction(async () =>
        ((await this.markSent([sms], now)).length ? ((await applyEarlyStatus(this.txHost, sms.result.providerId!, now)) ?? 'sent') : undefined));
      if (status) recorded.set(sms.row.id, status);
    }
    for (const { row, result } of accepted) {
      this.metrics.delivery(row.channel, result.status);
      const status = recorded.get(row.id);
      if (!status) {
        // The lease ran out while the provider was answering: the reaper already failed the row.
        this.logger.warn(`Delivery ${row.id} was accepted by ${result.provider} after its lease ran out`);
        continue;
      }
      await this.report(row, status === 'failed' ? { status, reason: 'twilio: undelivered', permanent: true } : { status, reason: null, permanent: false });
    }
  }

  /** The ids it recorded: a row whose lease ran out meanwhile is no longer `sending` and stays as the reaper left it. */
  private async markSent(accepted: Accepted[], now: Date): Promise<string[]> {
    const rows = returnedRows<{ id: string }>(
      await this.txHost.tx.query(
        `UPDATE message_deliveries m SET status = 'sent', provider = v.provider, provider_id = v.provider_id, provider_status = v.provider_status,
           sent_at = $1, updated_at = $1, payload = NULL, locked_until = NULL, last_error = NULL
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS v(id, provider, provider_id, provider_status)
         WHERE m.id = v.id AND m.status = 'sending' RETURNING m.id`,
        [
          now, accepted.map(({ row }) => row.id), accepted.map(({ result }) => result.provider),
          accepted.map(({ result }) => result.providerId?.slice(0, 128) ?? null), accepted.map(({ result }) => result.status.slice(0, 32)),
        ],
      ),
    );
    return rows.map((row) => row.id);
  }

  private async failed(row: ClaimedRow, error: unknown): Promise<SendOutcome> {
    const now = this.clock.now();
    const reason = describeDeliveryFailure(error).slice(0, 300);
    const permanent = !isRetryable(error);
    if (!permanent && row.attempts < this.config.DELIVERY_MAX_ATTEMPTS) {
      const delay = this.config.DELIVERY_RETRY_SECONDS * 1000 * 2 ** (row.attempts - 1);
      await this.txHost.tx.query(
        `UPDATE message_deliveries SET status = 'pending', next_attempt_at = $3, locked_until = NULL, last_error = $4, updated_at = $2
         WHERE id = $1 AND status = 'sending'`,
        [row.id, now, new Date(now.getTime() + delay), reason],
      );
      this.logger.warn(`Delivery ${row.id} attempt ${row.attempts} failed (${reason}); retrying in ${delay / 1000} s`);
      this.metrics.delivery(row.channel, 'retry');
      return 'retry';
    }
    await this.txHost.tx.query(
      `UPDATE message_deliveries SET status = 'failed', locked_until = NULL, last_error = $3, updated_at = $2, ${FORGET_CODE}
       WHERE id = $1 AND status = 'sending'`,
      [row.id, now, reason],
    );
    this.metrics.delivery(row.channel, 'failed');
    await this.report(row, { status: 'failed', reason, permanent });
    return 'failed';
  }

  /**
   * Fails the sends whose worker died mid-way (the lease ran out): the provider may or may not have
   * the message, and a second copy of a code is worse than none (the customer can ask again).
   */
  async reapAbandoned(): Promise<void> {
    const now = this.clock.now();
    const rows = returnedRows<ClaimedRow>(
      await this.txHost.tx.query(
        `UPDATE message_deliveries SET status = 'failed', locked_until = NULL, updated_at = $1, ${FORGET_CODE},
           last_error = 'outcome unknown: the worker stopped while sending'
         WHERE status = 'sending' AND locked_until < $1 RETURNING ${RETURNED}`,
        [now],
      ),
    );
    for (const row of rows) {
      this.metrics.delivery(row.channel, 'failed');
      await this.report(row, { status: 'failed', reason: 'outcome unknown', permanent: false });
    }
  }

  async report(row: Pick<ClaimedRow, 'id' | 'channel' | 'kind' | 'realm' | 'subject_id' | 'factor_id'>, outcome: Pick<DeliveryOutcome, 'status' | 'reason' | 'permanent'>): Promise<void> {
    try {
      await this.outcomes.recorded({
        deliveryId: row.id, channel: row.channel, kind: row.kind, realm: row.realm, subjectId: row.subject_id, factorId: row.factor_id,
        at: this.clock.now(), ...outcome,
      });
    } catch (error) {
      this.logger.warn(`The delivery outcome hook failed for ${row.id}: ${error instanceof Error ? error.name : 'error'}`);
    }
  }
}
