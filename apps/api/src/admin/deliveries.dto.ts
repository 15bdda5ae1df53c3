import { ApiProperty } from '@nestjs/swagger';
import { UnlockDto } from '../support/admin.dto';

/** One message as the console shows it: never its content, never the full number or address. */
export class DeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) customerId: string | null;
  @ApiProperty({ enum: ['sms', 'email'] }) channel: string;
  @ApiProperty({ enum: ['code', 'notice'] }) kind: string;
  @ApiProperty({ nullable: true, type: String, example: 'sign-in', description: 'sign-in, enrolment or notice' }) purpose: string | null;
  @ApiProperty({ nullable: true, type: String, example: '+44 ••••• ••123', description: 'Masked recipient' }) recipient: string | null;
  @ApiProperty({ enum: ['pending', 'enqueued', 'sending', 'sent', 'delivered', 'failed', 'expired'] }) status: string;
  @ApiProperty({ nullable: true, type: String, description: 'Why it failed (dead letter), or the last retried failure', example: 'Twilio rejected the message (21211)' })
  reason: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'delivered', description: "The provider's own status word" }) providerStatus: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The failed notice this one re-sends' }) resentFrom: string | null;
  @ApiProperty({ description: 'A failed notice not yet re-sent (codes never are)' }) resendable: boolean;
}

/** Why the agent re-sends a notice (10–500 characters), kept in the audit trail. */
export class ResendDeliveryDto extends UnlockDto {}
