import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { MeDevicesController } from './me-devices.controller';
import { TrustedDevices } from './trusted-devices.service';

/** Remembered (trusted) devices: the customer's list, and what sign-in and support need of them. */
@Module({
  imports: [AuditModule, NotificationsModule],
  controllers: [MeDevicesController],
  providers: [TrustedDevices],
  exports: [TrustedDevices],
})
export class DevicesModule {}
