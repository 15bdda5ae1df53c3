import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The life of one message, from `pending` to `sent` (then perhaps `delivered`), `failed` (the dead
 * letter, with its reason) or `expired`. See docs/deliveries.md for the states and crash points.
 */
export type DeliveryStatus = 'pending' | 'enqueued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'expired';

/**
 * One message of the transactional outbox. The message itself (`payload`) is sealed with the factor
 * encryption key and kept only until it is sent, expires or (for a code) fails; the rest is the
 * delivery log: never the content, only a masked recipient.
 */
@Entity({ name: 'message_deliveries' })
export class MessageDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 8 })
  channel: 'sms' | 'email';

  @Column({ type: 'varchar', length: 8 })
  kind: 'code' | 'notice';

  @Column({ type: 'varchar', length: 16, nullable: true })
  realm: string | null;

  @Column({ name: 'subject_id', type: 'uuid', nullable: true })
  subjectId: string | null;

  @Column({ name: 'factor_id', type: 'uuid', nullable: true })
  factorId: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  purpose: string | null;

  @Column({ name: 'recipient_hint', type: 'varchar', length: 160, nullable: true })
  recipientHint: string | null;

  @Column({ type: 'text', nullable: true, select: false })
  payload: string | null;

  @Column({ type: 'varchar', length: 32 })
  status: DeliveryStatus;

  @Column({ type: 'smallint' })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  provider: string | null;

  @Column({ name: 'provider_id', type: 'varchar', length: 128, nullable: true })
  providerId: string | null;

  @Column({ name: 'provider_status', type: 'varchar', length: 32, nullable: true })
  providerStatus: string | null;

  @Column({ name: 'last_error', type: 'varchar', length: 300, nullable: true })
  lastError: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ name: 'resent_from', type: 'uuid', nullable: true })
  resentFrom: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
