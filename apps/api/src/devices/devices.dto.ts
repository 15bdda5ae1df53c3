import { ApiProperty } from '@nestjs/swagger';

export class TrustedDeviceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Firefox on Linux', description: 'From the user agent when the device was remembered' }) label: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) lastUsedAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'Where it was last used from' }) ip: string | null;
}
