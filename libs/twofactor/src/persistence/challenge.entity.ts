import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Realm } from '../guards/principal';

export type ChallengePurpose = 'login' | 'step_up' | 'password_reset';

/** A sign-in waiting for its second factor; the client holds the mfaToken, we keep its hash. */
@Entity({ name: 'mfa_challenges' })
export class ChallengeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  realm: Realm;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash: string;

  /**
   * A sign-in (its answer starts a session), a step-up of one existing login (it only renews that login's
   * proof), or the second factor of a password reset (its answer sets a new password).
   */
  @Column({ type: 'varchar', length: 16, default: 'login' })
  purpose: ChallengePurpose;

  /** For a step-up: the login it belongs to. */
  @Column({ name: 'session_id', type: 'uuid', nullable: true })
  sessionId: string | null;

  /** For a password reset: the reset token its success spends (the application's table). */
  @Column({ name: 'reset_token_id', type: 'uuid', nullable: true })
  resetTokenId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'failed_attempts', type: 'int', default: 0 })
  failedAttempts: number;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** When the password was proven: the future session's auth_time. */
  @Column({ name: 'auth_time', type: 'timestamptz' })
  authTime: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;
}
