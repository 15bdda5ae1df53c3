import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length, MaxLength } from 'class-validator';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ForgotPasswordDto {
  @ApiProperty({ example: 'jane@example.com' })
  @Transform(trimmed)
  @IsString()
  @MaxLength(254)
  email: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'The token from the reset email' })
  @Transform(trimmed)
  @IsString()
  @Length(1, 200)
  resetToken: string;
}
