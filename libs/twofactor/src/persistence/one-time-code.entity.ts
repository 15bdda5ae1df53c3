import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A code sent by SMS or email, stored only as a keyed hash and tied to the login (challenge) that asked for it. */
@Entity({ name: 'mfa_codes' })
export class OneTimeCodeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'factor_id', type: 'uuid' })
  factorId: string;

  /** The sign-in it belongs to; null for a code that confirms a new factor. */
  @Column({ name: 'challenge_id', type: 'uuid', nullable: true })
  challengeId: string | null;

  @Column({ name: 'code_hash', type: 'char', length: 64 })
  codeHash: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** Set when used, replaced by a resend, or killed by too many wrong tries. */
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
