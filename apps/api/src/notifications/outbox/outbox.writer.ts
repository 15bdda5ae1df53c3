import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock, DeliveryJob, DeliveryOutbox, maskEmail, SecretBox } from '@app/twofactor';
import { EntityManager } from 'typeorm';
import { MessageDelivery } from '../message-delivery.entity';
import { OutboxDispatcher } from './outbox.dispatcher';
import { sealMessage } from './sealed-message';

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
  ) {
    super();
  }

  async add(job: DeliveryJob, manager: EntityManager, resentFrom: string | null = null): Promise<void> {
    const id = randomUUID();
    const now = this.clock.now();
    await manager.insert(MessageDelivery, {
      id,
      channel: job.channel,
      kind: job.kind ?? 'notice',
      realm: job.subject?.realm ?? null,
      subjectId: job.subject?.subjectId ?? null,
      factorId: job.meta?.factorId ?? null,
      purpose: job.meta?.purpose ?? null,
      recipientHint: (job.hint ?? (job.channel === 'email' ? maskEmail(job.message.to) : 'Text message')).slice(0, 160),
      payload: sealMessage(this.box, id, job),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      expiresAt: job.expiresAt ?? null,
      resentFrom,
      createdAt: now,
      updatedAt: now,
    });
    // Only a hint to look soon: the row is invisible to workers until the caller commits.
    this.dispatcher.nudge();
  }
}
