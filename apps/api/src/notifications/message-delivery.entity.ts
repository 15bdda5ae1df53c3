import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A message handed to a provider: for delivery statistics and Twilio status callbacks. Never the content. */
@Entity({ name: 'message_deliveries' })
export class MessageDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 8 })
  channel: 'sms' | 'email';

  @Column({ type: 'varchar', length: 16 })
  provider: string;

  @Column({ name: 'provider_id', type: 'varchar', length: 128, nullable: true })
  providerId: string | null;

  @Column({ type: 'varchar', length: 32 })
  status: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  purpose: string | null;

  /** The SMS or email factor the message went to (codes), so its outcome feeds that channel's health. */
  @Column({ name: 'factor_id', type: 'uuid', nullable: true })
  factorId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
