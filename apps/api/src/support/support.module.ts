import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { DevicesModule } from '../devices/devices.module';
import { CustomerDirectory } from './customer-directory.service';
import { CustomerSupportService } from './customer-support.service';

/** What customer support works on: the customer directory and the support actions (used by the back office and resets). */
@Module({
  imports: [AuditModule, AuthModule, DevicesModule],
  providers: [CustomerDirectory, CustomerSupportService],
  exports: [CustomerDirectory, CustomerSupportService],
})
export class SupportModule {}
