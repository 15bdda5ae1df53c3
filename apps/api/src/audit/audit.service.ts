import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock } from '@app/twofactor';
import { AppKeys } from '../config/keys';
import { storableText } from '../common/text';
import { AuditEvent } from './audit-event.entity';
import { chainHash, checkpointSignatureHolds, GENESIS_HASH } from './audit-chain';
import { AuditRow, CHAINED_COLUMNS, chainedContent } from './audit-row';
import { AuditSealer } from './audit-sealer';

export interface AuditInput {
  type: string;
  actor: { type: 'customer' | 'staff' | 'system'; id: string | null; email?: string | null };
  subject: { type: 'customer' | 'staff' | 'system'; id: string | null };
  ip?: string | null;
  reason?: string | null;
  data?: Record<string, unknown>;
}

export type ChainProblem = 'hash_mismatch' | 'broken_link' | 'checkpoint_mismatch' | 'checkpoint_signature' | 'events_missing';

export interface ChainReport {
  valid: boolean;
  /** Sealed events walked. */
  count: number;
  firstBrokenId: string | null;
  problem: ChainProblem | null;
  /** Committed events not sealed yet (another instance holds the sealer's lease), and the oldest one's time. */
  pending: number;
  oldestPendingAt: Date | null;
  /** How often the sealer runs: an event is sealed this long after it commits, plus one pass. */
  sealIntervalSeconds: number;
  /** The newest signed checkpoint of the chain head. */
  checkpoint: { chainPos: number; at: Date } | null;
}

// The verifier reads the chain in pages, so its memory stays flat however long the trail is.
export const VERIFY_PAGE = 1000;

@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly sealer: AuditSealer,
    private readonly keys: AppKeys,
  ) {}

  /**
   * Appends an event inside the caller's transaction (or on its own): one INSERT, no lock. It joins
   * the hash chain when the sealer next runs, so audit never serialises sign-ins (docs/audit.md).
   */
  async record(input: AuditInput): Promise<AuditEvent> {
    const { sql, params, events } = this.insertStatement([input]);
    await this.txHost.tx.query(sql, params);
    return events[0];
  }

  /** Several events in one INSERT, in order (their seq follows the VALUES order). */
  async recordMany(inputs: AuditInput[]): Promise<AuditEvent[]> {
    const { sql, params, events } = this.insertStatement(inputs);
    await this.txHost.tx.query(sql, params);
    return events;
  }

  /** The INSERT for `inputs`, for a caller that adds it to a statement of its own (one round trip). */
  insertStatement(inputs: AuditInput[]): { sql: string; params: unknown[]; events: AuditEvent[] } {
    const now = this.clock.now();
    const events = inputs.map((input) => Object.assign(new AuditEvent(), {
      id: randomUUID(),
      at: now,
      type: input.type,
      actorType: input.actor.type,
      actorId: input.actor.id,
      actorEmail: input.actor.email ?? null,
      subjectType: input.subject.type,
      subjectId: input.subject.id,
      ip: input.ip?.slice(0, 64) ?? null,
      reason: input.reason ? storableText(input.reason) : null,
      data: storableData(input.data ?? {}),
      prevHash: null, hash: null, chainPos: null, sealedAt: null,
    }));
    const params = events.flatMap((e) => [e.id, e.at, e.type, e.actorType, e.actorId, e.actorEmail, e.subjectType, e.subjectId, e.ip, e.reason, e.data]);
    const rows = events.map((_, row) => `(${Array.from({ length: 11 }, (_unused, column) => `$${row * 11 + column + 1}`).join(', ')})`);
    return { sql: `INSERT INTO audit_events (${CHAINED_COLUMNS}) VALUES ${rows.join(', ')}`, params, events };
  }

  /**
   * Seals what is pending, then walks the chain in order: every link and hash, every checkpoint on
   * the way (its head hash, its count, its signature), and finally that no event a checkpoint vouched
   * for is gone from the end.
   */
  async verifyChain(): Promise<ChainReport> {
    await this.sealer.sealPending().catch((error: unknown) => this.logger.warn(`Sealing before verify failed: ${error instanceof Error ? error.message : 'error'}`));
    const report = await this.walk();
    const [pending] = await this.txHost.tx.query(`SELECT count(*)::int AS n, min(at) AS oldest FROM audit_events WHERE hash IS NULL`);
    const [newest] = await this.txHost.tx.query(`SELECT chain_pos, at FROM audit_checkpoints ORDER BY chain_pos DESC, id DESC LIMIT 1`);
    if (report.valid && newest && BigInt(newest.chain_pos) > report.lastPos) {
      // The newest events were removed: a signed checkpoint vouches for a longer chain than the table holds.
      Object.assign(report, { valid: false, problem: 'events_missing' });
    }
    return {
      valid: report.valid, count: report.count, firstBrokenId: report.firstBrokenId, problem: report.problem,
      pending: pending.n, oldestPendingAt: pending.oldest ? new Date(pending.oldest) : null, sealIntervalSeconds: this.sealer.intervalSeconds,
      checkpoint: newest ? { chainPos: Number(newest.chain_pos), at: new Date(newest.at) } : null,
    };
  }

  private async walk(): Promise<{ valid: boolean; count: number; firstBrokenId: string | null; problem: ChainProblem | null; lastPos: bigint }> {
    let prevHash = GENESIS_HASH;
    let count = 0;
    let lastPos = 0n;
    const broken = (id: string, problem: ChainProblem) => ({ valid: false, count, firstBrokenId: id, problem, lastPos });
    for (;;) {
      const page: (AuditRow & { chain_pos: string; prev_hash: string; hash: string })[] = await this.txHost.tx.query(
        `SELECT ${CHAINED_COLUMNS}, chain_pos, prev_hash, hash FROM audit_events WHERE chain_pos > $1 ORDER BY chain_pos LIMIT $2`,
        [lastPos.toString(), VERIFY_PAGE],
      );
      if (!page.length) return { valid: true, count, firstBrokenId: null, problem: null, lastPos };
      const marks = await this.checkpointsIn(lastPos, BigInt(page[page.length - 1].chain_pos));
      for (const row of page) {
        if (row.prev_hash !== prevHash) return broken(row.id, 'broken_link');
        if (chainHash(prevHash, chainedContent(row)) !== row.hash) return broken(row.id, 'hash_mismatch');
        prevHash = row.hash;
        count++;
        lastPos = BigInt(row.chain_pos);
        for (const mark of marks.get(row.chain_pos) ?? []) {
          if (mark.head_hash !== row.hash || BigInt(mark.event_count) !== BigInt(count)) return broken(row.id, 'checkpoint_mismatch');
          if (!this.signatureHolds(mark)) return broken(row.id, 'checkpoint_signature');
        }
      }
    }
  }

  private async checkpointsIn(after: bigint, through: bigint): Promise<Map<string, CheckpointRow[]>> {
    const rows: CheckpointRow[] = await this.txHost.tx.query(
      `SELECT chain_pos, head_hash, event_count, at, key_id, signature FROM audit_checkpoints WHERE chain_pos > $1 AND chain_pos <= $2`,
      [after.toString(), through.toString()],
    );
    const byPosition = new Map<string, CheckpointRow[]>();
    for (const row of rows) byPosition.set(row.chain_pos, [...(byPosition.get(row.chain_pos) ?? []), row]);
    return byPosition;
  }

  /** Checkpoints signed by a retired key (another kid) are checked by hash and count only. */
  private signatureHolds(mark: CheckpointRow): boolean {
    if (mark.key_id !== this.keys.signing.kid) return true;
    const content = { chainPos: mark.chain_pos, headHash: mark.head_hash, eventCount: mark.event_count, at: new Date(mark.at) };
    return checkpointSignatureHolds(content, mark.signature, this.keys.signing.publicKey);
  }
}

interface CheckpointRow {
  chain_pos: string;
  head_hash: string;
  event_count: string;
  at: Date;
  key_id: string;
  signature: string;
}

/** The data as PostgreSQL's jsonb will give it back (no NUL, no lone surrogates). */
function storableData(data: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(data, (_key, value: unknown) => (typeof value === 'string' ? storableText(value) : value))) as Record<string, unknown>;
}
