import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Realm } from '../guards/principal';

/** One code sent by SMS or email: what the send caps count. Outlives the factor; holds no code or address. */
@Entity({ name: 'mfa_send_log' })
export class SendLogEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  realm: Realm;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ name: 'factor_id', type: 'uuid' })
  factorId: string;

  @Column({ name: 'challenge_id', type: 'uuid', nullable: true })
  challengeId: string | null;

  /** A keyed hash of the phone number or address, so caps follow a destination across accounts. */
  @Column({ name: 'destination_hash', type: 'char', length: 64 })
  destinationHash: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
