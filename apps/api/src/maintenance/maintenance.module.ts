import { Module } from '@nestjs/common';
import { KeyRotationService } from './key-rotation.service';
import { PurgeService } from './purge.service';

/** Scheduled purges, and the key-rotation status and reseal (the CLI's keys:* commands). */
@Module({
  providers: [PurgeService, KeyRotationService],
  exports: [KeyRotationService],
})
export class MaintenanceModule {}
