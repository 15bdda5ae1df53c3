import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { RESET_STATUSES } from './support-reset.entity';

class ResetCancellerDto {
  @ApiProperty({ enum: ['staff', 'customer'] }) type: string;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['session', 'cancel_token'], required: false }) via?: string;
}

export class PendingResetDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) customerId: string;
  @ApiProperty({ nullable: true, type: String }) customerEmail: string | null;
  @ApiProperty({ format: 'uuid', description: 'The supervisor who asked for the reset' }) requestedBy: string;
  @ApiProperty({ nullable: true, type: String }) requestedByEmail: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The second supervisor who approved it' }) approvedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) approvedByEmail: string | null;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ['security_questions', 'callback_to_number_on_file', 'id_document', 'in_person'] }) verification: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) approvedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When a scheduled reset runs' }) executesAt: string | null;
  @ApiProperty({ enum: RESET_STATUSES, description: 'expired: not approved within 24 h' }) status: string;
  @ApiProperty({ format: 'date-time', description: 'An unapproved request expires at this time' }) approvalExpiresAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) executedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) cancelledAt: string | null;
  @ApiProperty({ type: ResetCancellerDto, nullable: true }) cancelledBy: ResetCancellerDto | null;
  @ApiProperty({ nullable: true, type: String }) cancelReason: string | null;
}

export class CustomerPendingResetDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['awaiting_approval', 'scheduled'] }) status: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Null until a second supervisor approves it' }) executesAt: string | null;
}

export class CancelledResetDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['cancelled'] }) status: string;
  @ApiProperty({ format: 'date-time' }) cancelledAt: string;
}

export class ResetCancelTokenDto {
  @ApiProperty({ description: 'The one-time cancel code from the reset notice (email or SMS)' })
  @IsString()
  @Length(1, 200)
  cancelToken: string;
}
