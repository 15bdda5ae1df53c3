import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type SessionScope = 'session' | 'enroll';
export type Realm = 'customer' | 'staff';

/** One login: what refresh tokens rotate within, and what a user sees and revokes in their session list. */
@Entity({ name: 'sessions' })
@Index('sessions_subject_idx', ['realm', 'subjectId'])
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  realm: Realm;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ type: 'varchar', length: 16 })
  scope: SessionScope;

  /** Authentication methods references (RFC 8176): pwd, otp, sms, mfa… */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  amr: string[];

  /** The second-factor method that completed this login, if any. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  method: string | null;

  @Column({ name: 'auth_time', type: 'timestamptz' })
  authTime: Date;

  /** When this login last proved a second factor: the basis of "recent second factor" checks. */
  @Column({ name: 'mfa_at', type: 'timestamptz', nullable: true })
  mfaAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz' })
  lastUsedAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 40, nullable: true })
  revokedReason: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;
}
