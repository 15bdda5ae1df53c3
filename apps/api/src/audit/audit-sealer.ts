import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock } from '@app/twofactor';
import { AppConfig } from '../config/app.config';
import { AppKeys } from '../config/keys';
import { chainHash, GENESIS_HASH, signCheckpoint } from './audit-chain';
import { AuditRow, CHAINED_COLUMNS, chainedContent } from './audit-row';

// The sealer's lease: a transaction-scoped advisory lock taken with try-lock, so at most one instance
// seals at a time and none ever waits. Only the sealer takes it: requests never touch the chain.
const SEAL_LEASE = 7_401_020_027;
export const SEAL_BATCH = 1000;

export interface SealOutcome {
  sealed: number;
  /** False when another instance held the lease (it is sealing right now). */
  leased: boolean;
}

/**
 * Chains committed audit events in the background: reads the unsealed ones in insertion order,
 * links each to the one before (SHA-256), stores the links once, and appends a checkpoint of the new
 * head signed with the access-token key (docs/audit.md). Every AUDIT_SEAL_INTERVAL_SECONDS, and on
 * demand before the chain is verified.
 */
@Injectable()
export class AuditSealer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditSealer.name);
  private timer?: NodeJS.Timeout;
  private current: Promise<SealOutcome> | null = null;
  private queued: Promise<SealOutcome> | null = null;

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly keys: AppKeys,
  ) {}

  get intervalSeconds(): number {
    return this.config.AUDIT_SEAL_INTERVAL_SECONDS;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sealPending().catch((error: unknown) => this.logger.warn(`Audit sealing failed: ${error instanceof Error ? error.message : 'error'}`));
    }, this.intervalSeconds * 1000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([this.current, this.queued]);
  }

  /** Seals everything committed so far. A call made while a pass runs gets the pass after it, so it sees its own events. */
  sealPending(): Promise<SealOutcome> {
    if (!this.current) return this.start();
    this.queued ??= this.current.catch(() => undefined).then(() => {
      this.queued = null;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<SealOutcome> {
    const pass = this.pass().finally(() => {
      if (this.current === pass) this.current = null;
    });
    this.current = pass;
    return pass;
  }

  private async pass(): Promise<SealOutcome> {
    let sealed = 0;
    for (;;) {
      const batch = await this.txHost.withTransaction(() => this.sealBatch());
      if (batch === null) return { sealed, leased: false };
      sealed += batch;
      if (batch < SEAL_BATCH) return { sealed, leased: true };
    }
  }

  /** One batch under the lease: null when another instance holds it. */
  private async sealBatch(): Promise<number | null> {
    const tx = this.txHost.tx;
    const [lease] = await tx.query(`SELECT pg_try_advisory_xact_lock($1) AS leased`, [SEAL_LEASE]);
    if (!lease.leased) return null;
    const [head] = await tx.query(`SELECT chain_pos, hash FROM audit_events WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1`);
    const [mark] = await tx.query(`SELECT chain_pos, event_count FROM audit_checkpoints ORDER BY id DESC LIMIT 1`);
    // Insertion order; an event whose transaction commits late simply takes a later place in the chain.
    const rows: AuditRow[] = await tx.query(`SELECT ${CHAINED_COLUMNS} FROM audit_events WHERE hash IS NULL ORDER BY seq LIMIT $1`, [SEAL_BATCH]);
    if (mark && (!head || BigInt(head.chain_pos) < BigInt(mark.chain_pos))) {
      // Events a signed checkpoint vouched for are gone. Chaining on would bury that: new events stay
      // recorded but unsealed, and verify reports events_missing, until someone looks.
      this.logger.error(`The audit chain ends before its newest checkpoint (position ${mark.chain_pos}): events were removed; sealing stopped`);
      return 0;
    }
    if (!head && !rows.length) return 0;
    if (!rows.length && mark && mark.chain_pos === head.chain_pos) return 0;

    let prevHash: string = head?.hash ?? GENESIS_HASH;
    let position = BigInt(head?.chain_pos ?? 0);
    const links = { ids: [] as string[], prev: [] as string[], hashes: [] as string[], positions: [] as string[] };
    for (const row of rows) {
      position++;
      const hash = chainHash(prevHash, chainedContent(row));
      links.ids.push(row.id);
      links.prev.push(prevHash);
      links.hashes.push(hash);
      links.positions.push(position.toString());
      prevHash = hash;
    }
    const now = this.clock.now();
    if (rows.length) {
      await tx.query(
        `UPDATE audit_events e SET prev_hash = v.prev_hash, hash = v.hash, chain_pos = v.chain_pos, sealed_at = $5
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[]) AS v(id, prev_hash, hash, chain_pos) WHERE e.id = v.id`,
        [links.ids, links.prev, links.hashes, links.positions, now],
      );
    }
    const before = await this.countThrough(mark, head?.chain_pos ?? '0');
    const checkpoint = { chainPos: position.toString(), headHash: prevHash, eventCount: (before + BigInt(rows.length)).toString(), at: now };
    const signature = signCheckpoint(checkpoint, this.keys.signing.privateKey);
    await tx.query(
      `INSERT INTO audit_checkpoints (at, chain_pos, head_hash, event_count, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)`,
      [now, checkpoint.chainPos, checkpoint.headHash, checkpoint.eventCount, this.keys.signing.kid, signature],
    );
    // A copy outside the database (the log pipeline): removing the newest checkpoints from the table too then still shows.
    this.logger.log(`audit checkpoint ${JSON.stringify({ ...checkpoint, keyId: this.keys.signing.kid, signature })}`);
    return rows.length;
  }

  /** Events in the chain up to `position`: the last checkpoint's count, plus any it does not cover (a chain older than checkpoints). */
  private async countThrough(mark: { chain_pos: string; event_count: string } | undefined, position: string): Promise<bigint> {
    if (mark && mark.chain_pos === position) return BigInt(mark.event_count);
    const [row] = await this.txHost.tx.query(`SELECT count(*) AS n FROM audit_events WHERE chain_pos > $1 AND chain_pos <= $2`, [mark?.chain_pos ?? '0', position]);
    return BigInt(mark?.event_count ?? 0) + BigInt(row.n);
  }
}
