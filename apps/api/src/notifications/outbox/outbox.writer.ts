import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock, DeliveryJob, DeliveryOutbox, maskEmail, SecretBox, SqlStatement } from '@app/twofactor';
import { OutboxDispatcher } from './outbox.dispatcher';
import { sealMessage } from './sealed-message';

const COLUMNS = `id, channel, kind, realm, subject_id, factor_id, purpose, recipient_hint, payload, status, attempts, next_attempt_at,
  expires_at, resent_from, created_at, updated_at`;

/**
 * Writes messages as outbox rows in the caller's transaction. The message is sealed (AES-256-GCM,
 * bound to the row id) because a code waits in it until it is sent; what the delivery log shows is
 * a masked recipient only.
 */
@Injectable()
export class OutboxWriter extends DeliveryOutbox {
  constructor(
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly dispatcher: OutboxDispatcher,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {
    super();
  }

  async add(job: DeliveryJob, resentFrom: string | null = null): Promise<void> {
    const { sql, params } = this.insertStatement(job, resentFrom);
    await this.txHost.tx.query(sql, params);
  }

  /**
   * The row's INSERT, for a caller that runs it inside a statement of its own (the sign-in's notice,
   * folded into its write). It must run in the transaction of the change the message announces.
   */
  insertStatement(job: DeliveryJob, resentFrom: string | null = null): SqlStatement {
    const id = randomUUID();
    const now = this.clock.now();
    const hint = (job.hint ?? (job.channel === 'email' ? maskEmail(job.message.to) : 'Text message')).slice(0, 160);
    // Only a hint to look soon: the row is invisible to workers until the caller commits.
    this.dispatcher.nudge();
    return {
      sql: `INSERT INTO message_deliveries (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $10, $11, $12, $10, $10)`,
      params: [
        id, job.channel, job.kind ?? 'notice', job.subject?.realm ?? null, job.subject?.subjectId ?? null, job.meta?.factorId ?? null,
        job.meta?.purpose ?? null, hint, sealMessage(this.box, id, job), now, job.expiresAt ?? null, resentFrom,
      ],
    };
  }
}
