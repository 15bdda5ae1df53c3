import { Module } from '@nestjs/common';
import { AuditSealer } from './audit-sealer';
import { AuditService } from './audit.service';

/** The append-only, hash-chained audit trail: every module records through AuditService. */
@Module({
  providers: [AuditService, AuditSealer],
  exports: [AuditService],
})
export class AuditModule {}
