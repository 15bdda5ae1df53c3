import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { STAFF_ROLE_NAMES, type StaffRole } from './staff.entity';
import { Optional } from '../common/optional.decorator';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateStaffDto {
  @ApiProperty({ example: 'sam.agent@twofold.example' })
  @Transform(trimmed)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Sam Agent' })
  @Transform(trimmed)
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: STAFF_ROLE_NAMES })
  @IsIn(STAFF_ROLE_NAMES)
  role: StaffRole;
}

export class UpdateStaffDto {
  @ApiPropertyOptional()
  @Optional()
  @Transform(trimmed)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional()
  @Optional()
  @Transform(trimmed)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: STAFF_ROLE_NAMES })
  @Optional()
  @IsIn(STAFF_ROLE_NAMES)
  role?: StaffRole;

  @ApiPropertyOptional({ description: 'A disabled member of staff cannot sign in; their logins end at once.' })
  @Optional()
  @IsBoolean()
  disabled?: boolean;
}

/** A staff record as the API shows it (never the password hash). */
export class StaffRecordDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: STAFF_ROLE_NAMES }) role: StaffRole;
  @ApiProperty() disabled: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastLoginAt: string | null;
}

export class CreatedStaffDto extends StaffRecordDto {
  @ApiProperty({ description: 'Shown once: give it to the new member of staff, who must enrol TOTP at first sign-in.' })
  setupPassword: string;
}
