import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Realm } from '../guards/principal';

/** The account-wide second-factor failure budget: failures in a row, locks so far, locked until. */
@Entity({ name: 'mfa_subject_locks' })
export class SubjectLockEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  realm: Realm;

  @PrimaryColumn({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ name: 'failed_count', type: 'int', default: 0 })
  failedCount: number;

  @Column({ name: 'lock_count', type: 'int', default: 0 })
  lockCount: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;
}
