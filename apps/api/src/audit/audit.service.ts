import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock } from '@app/twofactor';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEvent } from './audit-event.entity';
import { storableText } from '../common/text';
import { chainHash, GENESIS_HASH } from './audit-chain';

export interface AuditInput {
  type: string;
  actor: { type: 'customer' | 'staff' | 'system'; id: string | null; email?: string | null };
  subject: { type: 'customer' | 'staff' | 'system'; id: string | null };
  ip?: string | null;
  reason?: string | null;
  data?: Record<string, unknown>;
}

// One advisory lock key for the whole chain: writers queue for it, so the chain never forks.
const CHAIN_LOCK = 7_401_020_026;

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Appends an event inside the caller's transaction (or its own), chained to the previous one. */
  async record(input: AuditInput, manager?: EntityManager): Promise<AuditEvent> {
    const write = async (tx: EntityManager) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
      const [last] = await tx.query('SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1');
      const content = {
        id: randomUUID(),
        at: this.clock.now(),
        type: input.type,
        actorType: input.actor.type,
        actorId: input.actor.id,
        actorEmail: input.actor.email ?? null,
        subjectType: input.subject.type,
        subjectId: input.subject.id,
        ip: input.ip?.slice(0, 64) ?? null,
        reason: input.reason ? storableText(input.reason) : null,
        data: storableData(input.data ?? {}),
      };
      const prevHash: string = last?.hash ?? GENESIS_HASH;
      const event = tx.create(AuditEvent, { ...content, prevHash, hash: chainHash(prevHash, content) });
      await tx.insert(AuditEvent, event as never);
      return event;
    };
    return manager ? write(manager) : this.db.transaction(write);
  }

  /** Walks the chain in order; reports the first event whose hash or link does not hold. */
  async verifyChain(): Promise<{ valid: boolean; count: number; firstBrokenId: string | null }> {
    let prevHash = GENESIS_HASH;
    let count = 0;
    let afterSeq = '0';
    for (;;) {
      const batch = await this.db.manager
        .createQueryBuilder(AuditEvent, 'e')
        .where('e.seq > :afterSeq', { afterSeq })
        .orderBy('e.seq', 'ASC')
        .limit(1000)
        .getMany();
      if (!batch.length) return { valid: true, count, firstBrokenId: null };
      for (const event of batch) {
        if (event.prevHash !== prevHash || chainHash(prevHash, event) !== event.hash) return { valid: false, count, firstBrokenId: event.id };
        prevHash = event.hash;
        count++;
        afterSeq = event.seq;
      }
    }
  }
}

/** The data as PostgreSQL's jsonb will give it back, so the chain hash survives the round trip. */
function storableData(data: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(data, (_key, value: unknown) => (typeof value === 'string' ? storableText(value) : value))) as Record<string, unknown>;
}
