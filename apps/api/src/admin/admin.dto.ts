import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Length } from 'class-validator';
import { FactorSummaryDoc } from '../common/api-docs';
import { TrustedDeviceDto } from '../devices/devices.dto';

export const VERIFICATIONS = ['security_questions', 'callback_to_number_on_file', 'id_document', 'in_person'] as const;
export type Verification = (typeof VERIFICATIONS)[number];

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class UnlockDto {
  @ApiProperty({ minLength: 10, maxLength: 500, example: 'Customer called from the number on file, locked out after typos' })
  @Transform(trimmed)
  @IsString()
  @Length(10, 500, { message: 'reason must be 10–500 characters' })
  reason: string;
}

export class SupportActionDto extends UnlockDto {
  @ApiProperty({ enum: VERIFICATIONS, description: 'How the caller proved who they are' })
  @IsIn(VERIFICATIONS, { message: `verification must be one of ${VERIFICATIONS.join(', ')}` })
  verification: Verification;
}

export class CustomerRowDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastLoginAt: string | null;
  @ApiProperty() mfaComplete: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'totp', description: 'A factor type that may be primary' }) primaryType: string | null;
  @ApiProperty({ type: [String], example: ['email'] }) secondaryTypes: string[];
  @ApiProperty() recoveryCodesRemaining: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lockedUntil: string | null;
}

export class CustomerDetailDto extends CustomerRowDto {
  @ApiProperty({ type: [FactorSummaryDoc] }) factors: FactorSummaryDoc[];
  @ApiProperty({ type: [TrustedDeviceDto] }) devices: TrustedDeviceDto[];
}

class AuditActorDto {
  @ApiProperty({ enum: ['customer', 'staff', 'system'] }) type: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) id: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
}

class AuditSubjectDto {
  @ApiProperty({ enum: ['customer', 'staff', 'system'] }) type: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) id: string | null;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ example: 'factor.removed' }) type: string;
  @ApiProperty({ type: AuditActorDto }) actor: AuditActorDto;
  @ApiProperty({ type: AuditSubjectDto }) subject: AuditSubjectDto;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
}

export class CheckpointDto {
  @ApiProperty({ description: 'Position of the chain head this signed checkpoint vouches for' }) chainPos: number;
  @ApiProperty({ format: 'date-time' }) at: Date;
}

export class ChainVerificationDto {
  @ApiProperty() valid: boolean;
  @ApiProperty() count: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) firstBrokenId: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['hash_mismatch', 'broken_link', 'checkpoint_mismatch', 'checkpoint_signature', 'events_missing'], description: 'Why the chain does not hold (events_missing: a signed checkpoint vouches for events no longer there)' })
  problem: string | null;
  @ApiProperty({ description: 'Committed events not yet sealed into the chain (sealed by one instance at a time, every sealIntervalSeconds)' }) pending: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) oldestPendingAt: Date | null;
  @ApiProperty() sealIntervalSeconds: number;
  @ApiProperty({ nullable: true, type: CheckpointDto }) checkpoint: CheckpointDto | null;
}
