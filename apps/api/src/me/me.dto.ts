import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { ChallengeDto } from '../auth/auth.dto';

export class EnrolFactorDto {
  @ApiProperty({ enum: ['totp', 'sms', 'email'] })
  @IsIn(['totp', 'sms', 'email'])
  type: 'totp' | 'sms' | 'email';

  @ApiProperty({ enum: ['primary', 'secondary'] })
  @IsIn(['primary', 'secondary'])
  role: 'primary' | 'secondary';

  @ApiPropertyOptional({ description: 'For SMS: E.164, or national in PHONE_DEFAULT_REGION', example: '+447700900123' })
  @ValidateIf((dto: EnrolFactorDto) => dto.type === 'sms' || dto.phone !== undefined)
  @IsString()
  @MaxLength(32)
  phone?: string;
}

export class VerifyFactorDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @Length(1, 16)
  code: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ['primary', 'secondary'] })
  @IsIn(['primary', 'secondary'])
  role: 'primary' | 'secondary';
}

/** A step-up answer: the challenge's mfaToken and factor, and the code. */
export class StepUpVerifyDto extends ChallengeDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @Length(1, 16)
  code: string;
}
