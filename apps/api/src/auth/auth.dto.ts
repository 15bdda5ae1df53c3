import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsObject, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { IsAcceptablePassword, PASSWORD_MAX_LENGTH } from '../accounts/passwords/password-policy';
import type { ChallengeAnswer } from '@app/twofactor';
import { Optional } from '../common/optional.decorator';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RegisterDto {
  @ApiProperty({ example: 'jane@example.com' })
  @Transform(trimmed)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 12, maxLength: 128 })
  @IsAcceptablePassword()
  password: string;
}

export class LoginDto {
  @ApiProperty()
  @Transform(trimmed)
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  password: string;
}

/** The customer's password step: a remembered device's token may stand in for the second factor. */
export class CustomerLoginDto extends LoginDto {
  @ApiPropertyOptional({ description: 'From an earlier `rememberDevice: true`; unknown, expired or revoked tokens are ignored' })
  @Optional()
  @IsString()
  @MaxLength(200)
  deviceToken?: string;
}

export class ChallengeDto {
  @ApiProperty()
  @IsString()
  @MaxLength(200)
  mfaToken: string;

  @ApiProperty({ format: 'uuid' })
  @IsString()
  @MaxLength(64)
  factorId: string;
}

export class VerifyDto {
  @ApiProperty()
  @IsString()
  @MaxLength(200)
  mfaToken: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'With `code` or `credential`.' })
  @ValidateIf((dto: VerifyDto) => dto.recoveryCode === undefined)
  @IsString()
  @MaxLength(64)
  factorId?: string;

  @ApiPropertyOptional({ description: 'The 6-digit code, with `factorId`.' })
  @ValidateIf((dto: VerifyDto) => dto.recoveryCode === undefined && (dto.credential === undefined || dto.code !== undefined))
  @IsString()
  @Length(1, 16)
  code?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Instead of `code`, with `factorId`: a passkey\'s `AuthenticationResponseJSON`.' })
  @Optional()
  @IsObject()
  credential?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Instead of factorId and code.', example: 'ABCD-EFGH-JKMN-PQRS' })
  @Optional()
  @IsString()
  @Length(1, 64)
  recoveryCode?: string;

  /** What the library checks: a factor's code or credential, or a recovery code. */
  toAnswer(): ChallengeAnswer {
    if (this.recoveryCode !== undefined) return { recoveryCode: this.recoveryCode };
    return this.code !== undefined ? { factorId: this.factorId!, code: this.code } : { factorId: this.factorId!, credential: this.credential };
  }
}

/**
 * The customer's second-factor step. Staff use VerifyDto, so `rememberDevice` or `newPassword` from a
 * member of staff is an unknown field (400): staff are never remembered and reset passwords otherwise.
 */
export class CustomerVerifyDto extends VerifyDto {
  @ApiPropertyOptional({ description: 'Remember this device: the answer then holds a deviceToken' })
  @Optional()
  @IsBoolean()
  rememberDevice?: boolean;

  @ApiPropertyOptional({ minLength: 12, maxLength: 128, description: 'Required with (and only with) a password reset\'s mfaToken' })
  @Optional()
  @IsAcceptablePassword()
  newPassword?: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @MaxLength(200)
  refreshToken: string;
}

export class LogoutDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @MaxLength(200)
  refreshToken?: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  currentPassword: string;

  @ApiProperty({ minLength: 12, maxLength: 128 })
  @IsAcceptablePassword()
  newPassword: string;
}
