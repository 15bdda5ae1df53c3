import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { FactorRole, FactorStatus, FactorType } from '../policy/factor-policy';
import type { Realm } from '../guards/principal';

/**
 * A subject's second factor. The partial unique indexes in the migration are the last word on the
 * rules "one active factor per type" and "one active primary", whatever races the code loses.
 */
@Entity({ name: 'mfa_factors' })
export class FactorEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  realm: Realm;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ type: 'varchar', length: 16 })
  type: FactorType;

  @Column({ type: 'varchar', length: 16 })
  role: FactorRole;

  @Column({ type: 'varchar', length: 16 })
  status: FactorStatus;

  /** TOTP seed, sealed with AES-256-GCM (key id inside), bound to this row's id. */
  @Column({ name: 'secret_sealed', type: 'text', nullable: true })
  secretSealed: string | null;

  /** Where codes go: an E.164 number or an email address. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  destination: string | null;

  /** The last TOTP time step accepted: a step is never accepted twice. */
  @Column({ name: 'last_used_step', type: 'bigint', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  lastUsedStep: number | null;

  /** Wrong confirmation codes while pending (the enrolment's attempt budget). */
  @Column({ name: 'failed_attempts', type: 'int', default: 0 })
  failedAttempts: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  /** Channel health (SMS and email): 'failing' after several failed deliveries in a row. */
  @Column({ name: 'health_status', type: 'varchar', length: 16, default: 'ok' })
  healthStatus: ChannelHealthStatus;

  @Column({ name: 'delivery_failures_in_row', type: 'smallint', default: 0 })
  deliveryFailuresInRow: number;

  @Column({ name: 'last_delivery_status', type: 'varchar', length: 32, nullable: true })
  lastDeliveryStatus: string | null;

  @Column({ name: 'last_delivery_at', type: 'timestamptz', nullable: true })
  lastDeliveryAt: Date | null;
}

export type ChannelHealthStatus = 'ok' | 'failing';
