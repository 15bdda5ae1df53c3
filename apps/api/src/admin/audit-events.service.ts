import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { ListQuery, ListSpec, startsWithPattern } from '../common/list-query';

export type AuditSortField = 'at' | 'type';

export const AUDIT_LIST: ListSpec<AuditSortField> = {
  sortFields: ['at', 'type'],
  defaultSort: ['at', 'DESC'],
  filters: { subjectId: 'uuid', actorId: 'uuid', type: 'string', from: 'date', to: 'date' },
};

export interface AuditEventView {
  id: string;
  at: Date;
  type: string;
  actor: { type: string; id: string | null; email: string | null };
  subject: { type: string; id: string | null };
  ip: string | null;
  reason: string | null;
  data: Record<string, unknown>;
}

/** The audit trail as staff read it: filtered, paged, and checked end to end. */
@Injectable()
export class AuditEventsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(query: ListQuery<AuditSortField>): Promise<{ rows: AuditEventView[]; total: number }> {
    const qb = this.db.manager.createQueryBuilder(AuditEvent, 'e');
    const { subjectId, actorId, type, from, to } = query.filter;
    if (typeof subjectId === 'string') qb.andWhere('e.subject_id = :subjectId', { subjectId });
    if (typeof actorId === 'string') qb.andWhere('e.actor_id = :actorId', { actorId });
    // "factor" finds factor.activated, factor.removed, …; a full type finds exactly that type.
    if (typeof type === 'string' && type.trim()) qb.andWhere(`e.type LIKE :type ESCAPE '\\'`, { type: startsWithPattern(type.trim()) });
    if (from instanceof Date) qb.andWhere('e.at >= :from', { from });
    if (to instanceof Date) qb.andWhere('e.at <= :to', { to });
    // The chain's sequence is the true order of events (two may share a timestamp).
    if (query.sort.field === 'type') qb.orderBy('e.type', query.sort.order).addOrderBy('e.seq', 'DESC');
    else qb.orderBy('e.seq', query.sort.order);
    qb.offset(query.offset).limit(query.limit);
    const [rows, total] = await qb.getManyAndCount();
    return { rows: rows.map(view), total };
  }

  verify() {
    return this.audit.verifyChain();
  }
}

export function view(event: AuditEvent): AuditEventView {
  return {
    id: event.id,
    at: event.at,
    type: event.type,
    actor: { type: event.actorType, id: event.actorId, email: event.actorEmail },
    subject: { type: event.subjectType, id: event.subjectId },
    ip: event.ip,
    reason: event.reason,
    data: event.data,
  };
}
