import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Realm } from '../guards/principal';

/** One recovery code, as a keyed hash. Used or replaced codes are marked, never deleted. */
@Entity({ name: 'recovery_codes' })
export class RecoveryCodeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  realm: Realm;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ name: 'code_hash', type: 'char', length: 64 })
  codeHash: string;

  /** Which CODE_HASH_KEY made `codeHash` (null: hashed before key ids were recorded), so a rotation knows when the old key may go. */
  @Column({ name: 'hash_key_id', type: 'varchar', length: 64, nullable: true })
  hashKeyId: string | null;

  @Column({ name: 'generated_at', type: 'timestamptz' })
  generatedAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
