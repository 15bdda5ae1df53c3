import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const RESET_STATUSES = ['awaiting_approval', 'scheduled', 'executed', 'cancelled', 'expired'] as const;
export type ResetStatus = (typeof RESET_STATUSES)[number];

/** Who stopped a reset: a supervisor, or the customer (signed in, or with the notice's token). */
export interface ResetCanceller {
  type: 'staff' | 'customer';
  id: string;
  via?: 'session' | 'cancel_token';
}

/** A whole reset of a customer's factors: requested, approved by a second supervisor, then run after a delay. */
@Entity({ name: 'support_resets' })
export class SupportReset {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy: string;

  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy: string | null;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'varchar', length: 32 })
  verification: string;

  @Column({ type: 'varchar', length: 24 })
  status: ResetStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** An unapproved request dies at this time (24 h after it was made). */
  @Column({ name: 'approval_expires_at', type: 'timestamptz' })
  approvalExpiresAt: Date;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'executes_at', type: 'timestamptz', nullable: true })
  executesAt: Date | null;

  @Column({ name: 'executed_at', type: 'timestamptz', nullable: true })
  executedAt: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Column({ name: 'cancelled_by', type: 'jsonb', nullable: true })
  cancelledBy: ResetCanceller | null;

  @Column({ name: 'cancel_reason', type: 'varchar', length: 500, nullable: true })
  cancelReason: string | null;

  /** SHA-256 of the one-time cancel token sent in the notice; the token itself is never stored. */
  @Column({ name: 'cancel_token_hash', type: 'varchar', length: 64, nullable: true })
  cancelTokenHash: string | null;
}
