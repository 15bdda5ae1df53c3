import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import type { FactorAnswer } from '@app/twofactor';
import { IsIn, IsObject, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { Optional } from '../common/optional.decorator';
import { ChallengeDto } from '../auth/auth.dto';

export class EnrolFactorDto {
  // Which types exist is the factor registry's to say: OwnFactorsService checks it (400 validation_failed).
  @ApiProperty({ example: 'totp', description: 'A registered factor type: totp, sms, email, or one a factor module adds (passkey)' })
  @IsString()
  @MaxLength(16)
  type: string;

  @ApiProperty({ enum: ['primary', 'secondary'] })
  @IsIn(['primary', 'secondary'])
  role: 'primary' | 'secondary';

  @ApiPropertyOptional({ description: 'For SMS: E.164, or national in PHONE_DEFAULT_REGION', example: '+447700900123' })
  @ValidateIf((dto: EnrolFactorDto) => dto.type === 'sms' || dto.phone !== undefined)
  @IsString()
  @MaxLength(32)
  phone?: string;

  @ApiPropertyOptional({ description: 'A name for the factor, for kinds that keep one (a passkey\'s device)', example: 'Work laptop' })
  @Optional()
  @IsString()
  @Length(1, 64)
  label?: string;
}

/** A factor's answer: a code, or (passkeys) a credential object. */
export class VerifyFactorDto {
  @ApiPropertyOptional({ example: '123456', description: 'Required unless `credential` is sent.' })
  @ValidateIf((dto: VerifyFactorDto) => dto.credential === undefined || dto.code !== undefined)
  @IsString()
  @Length(1, 16)
  code?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Instead of `code`: a passkey\'s `RegistrationResponseJSON` (`AuthenticationResponseJSON` in a step-up).' })
  @Optional()
  @IsObject()
  credential?: Record<string, unknown>;
}

/** What the library checks: the code, or else the credential. */
export function factorAnswerOf(body: VerifyFactorDto): FactorAnswer {
  return body.code !== undefined ? { code: body.code } : { credential: body.credential };
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ['primary', 'secondary'] })
  @IsIn(['primary', 'secondary'])
  role: 'primary' | 'secondary';
}

/** A step-up answer: the challenge's mfaToken and factor, and the code (or a passkey's credential). */
export class StepUpVerifyDto extends IntersectionType(ChallengeDto, VerifyFactorDto) {}
