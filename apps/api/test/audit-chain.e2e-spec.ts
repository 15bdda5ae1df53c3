import { TransactionHost } from '@nestjs-cls/transactional';
import { DataSource } from 'typeorm';
import { Clock } from '@app/twofactor';
import { chainHash } from '../src/audit/audit-chain';
import { chainedContent } from '../src/audit/audit-row';
import { AuditSealer, SEAL_BATCH } from '../src/audit/audit-sealer';
import { AuditService, VERIFY_PAGE } from '../src/audit/audit.service';
import { AppConfig } from '../src/config/app.config';
import { AppKeys } from '../src/config/keys';
import { bearer } from './support/journeys';
import { signedInStaff } from './support/admin-journeys';
import { startTestApp, TestContext } from './support/test-app';

// Sealing and checking the audit chain, and the tampering it must show: run against PostgreSQL in CI
// (TEST_DATABASE_URL), where two sealers really run at once.
describe('Audit chain: sealed off the request path, checkpointed, tamper-evident', () => {
  let ctx: TestContext;
  let db: DataSource;
  let audit: AuditService;

  beforeAll(async () => {
    // A long interval: the tests decide when sealing happens (verify seals first).
    ctx = await startTestApp({ AUDIT_SEAL_INTERVAL_SECONDS: '3600' });
    db = ctx.app.get(DataSource);
    audit = ctx.app.get(AuditService);
  });
  afterAll(() => ctx?.close());

  const record = (n: number, label: string) =>
    Promise.all(Array.from({ length: n }, (_, i) => audit.record({ type: 'bench.event', actor: { type: 'system', id: null }, subject: { type: 'system', id: null }, reason: `${label} ${i}`, data: { i } })));

  /** What an owner of the tables (not the app's role) can do: switch the guards off for one change. */
  async function behindTriggers(sql: string, params: unknown[] = []): Promise<void> {
    await db.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`);
    await db.query(`ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_no_update_delete`);
    try {
      await db.query(sql, params);
    } finally {
      await db.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete`);
      await db.query(`ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_no_update_delete`);
    }
  }

  async function newest(n: number): Promise<{ id: string; chain_pos: string }[]> {
    return db.query(`SELECT id, chain_pos FROM audit_events WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT $1`, [n]);
  }

  it('writes events unsealed and seals them, in one chain, before verifying; verify reports the delay', async () => {
    const written = await record(5, 'first');
    const rows = await db.query(`SELECT hash, chain_pos FROM audit_events WHERE id = ANY($1)`, [written.map((event) => event.id)]);
    expect(rows.every((row: { hash: string | null; chain_pos: string | null }) => row.hash === null && row.chain_pos === null)).toBe(true);

    const supervisor = await signedInStaff(ctx, 'supervisor');
    const res = await ctx.http.get('/admin/audit-events/verify').set(bearer(supervisor.accessToken)).expect(200);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_events`);
    expect(res.body).toEqual({
      valid: true, count: n, firstBrokenId: null, problem: null, pending: 0, oldestPendingAt: null, sealIntervalSeconds: 3600,
      checkpoint: { chainPos: expect.any(Number), at: expect.any(String) },
    });
    const [{ unsealed }] = await db.query(`SELECT count(*)::int AS unsealed FROM audit_events WHERE hash IS NULL`);
    expect(unsealed).toBe(0);
  });

  it('reports events waiting for a sealer that another instance is running', async () => {
    const [written] = await record(1, 'waiting');
    // Hold the sealer's lease from another connection, as a second instance would.
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(`SELECT pg_advisory_xact_lock(7401020027)`);
      const report = await audit.verifyChain();
      expect(report).toMatchObject({ valid: true, pending: 1, oldestPendingAt: written.at });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect((await audit.verifyChain()).pending).toBe(0);
  });

  it('walks a chain longer than one page of the verifier and one batch of the sealer', async () => {
    expect(VERIFY_PAGE).toBeLessThanOrEqual(SEAL_BATCH);
    await record(SEAL_BATCH + 150, 'long');
    const report = await audit.verifyChain();
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_events`);
    expect(n).toBeGreaterThan(VERIFY_PAGE + 100);
    expect(report).toMatchObject({ valid: true, count: n, pending: 0 });
    expect(report.checkpoint!.chainPos).toBeGreaterThanOrEqual(n);
  });

  it('two sealers at once (two instances) still make one chain', async () => {
    await record(300, 'racing');
    const other = new AuditSealer(ctx.app.get(TransactionHost), ctx.app.get(Clock), ctx.app.get(AppConfig), ctx.app.get(AppKeys));
    const outcomes = await Promise.all([other.sealPending(), ctx.app.get(AuditSealer).sealPending(), other.sealPending()]);
    expect(outcomes.reduce((sum, outcome) => sum + outcome.sealed, 0)).toBeLessThanOrEqual(300);
    const report = await audit.verifyChain();
    expect(report).toMatchObject({ valid: true, pending: 0 });
    const [{ gaps }] = await db.query(`SELECT count(*)::int AS gaps FROM (SELECT chain_pos - lag(chain_pos) OVER (ORDER BY chain_pos) AS step FROM audit_events WHERE chain_pos > (SELECT max(seq) FROM audit_events) - 2000) s WHERE step <> 1`);
    expect(gaps).toBe(0);
  });

  it('the app may seal an event once, but never change what it says, and never touch a checkpoint', async () => {
    const [event] = await record(1, 'guarded');
    await expect(db.query(`UPDATE audit_events SET reason = 'rewritten' WHERE id = $1`, [event.id])).rejects.toThrow(/append-only/);
    await expect(db.query(`UPDATE audit_events SET hash = $2, prev_hash = $2, chain_pos = -1, reason = 'x' WHERE id = $1`, [event.id, 'f'.repeat(64)])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_events WHERE id = $1`, [event.id])).rejects.toThrow(/append-only/);
    await audit.verifyChain();
    await expect(db.query(`UPDATE audit_events SET hash = $2 WHERE id = $1`, [event.id, 'f'.repeat(64)])).rejects.toThrow(/append-only/);
    await expect(db.query(`UPDATE audit_checkpoints SET head_hash = $1`, ['f'.repeat(64)])).rejects.toThrow(/insert-only/);
    await expect(db.query(`DELETE FROM audit_checkpoints`)).rejects.toThrow(/insert-only/);
    await expect(db.query(`TRUNCATE audit_checkpoints`)).rejects.toThrow(/insert-only/);
  });

  it('finds a broken link', async () => {
    const [, victim] = await newest(5);
    const [{ prev_hash: original }] = await db.query(`SELECT prev_hash FROM audit_events WHERE id = $1`, [victim.id]);
    await behindTriggers(`UPDATE audit_events SET prev_hash = $2 WHERE id = $1`, [victim.id, '1'.repeat(64)]);
    try {
      expect(await audit.verifyChain()).toMatchObject({ valid: false, firstBrokenId: victim.id, problem: 'broken_link' });
    } finally {
      await behindTriggers(`UPDATE audit_events SET prev_hash = $2 WHERE id = $1`, [victim.id, original]);
    }
    expect((await audit.verifyChain()).valid).toBe(true);
  });

  it('finds a deleted row in the middle', async () => {
    const [after, victim] = await newest(10).then((rows) => rows.slice(4, 6)); // newest first: `after` follows `victim`
    const [saved] = await db.query(`SELECT * FROM audit_events WHERE id = $1`, [victim.id]);
    await behindTriggers(`DELETE FROM audit_events WHERE id = $1`, [victim.id]);
    try {
      expect(await audit.verifyChain()).toMatchObject({ valid: false, firstBrokenId: after.id, problem: 'broken_link' });
    } finally {
      await behindTriggers(`INSERT INTO audit_events SELECT * FROM json_populate_record(NULL::audit_events, $1)`, [JSON.stringify(saved)]);
    }
    expect((await audit.verifyChain()).valid).toBe(true);
  });

  it('finds the newest events removed: a signed checkpoint vouches for them', async () => {
    await record(3, 'tail');
    await audit.verifyChain();
    const tail = await newest(3);
    const saved = await db.query(`SELECT * FROM audit_events WHERE id = ANY($1)`, [tail.map((row) => row.id)]);
    await behindTriggers(`DELETE FROM audit_events WHERE id = ANY($1)`, [tail.map((row) => row.id)]);
    try {
      // The rest of the chain is intact: only the checkpoint shows the loss.
      expect(await audit.verifyChain()).toMatchObject({ valid: false, firstBrokenId: null, problem: 'events_missing' });
      // Nothing is chained onto the shortened chain meanwhile: new events wait, recorded but unsealed.
      await record(1, 'after the loss');
      expect(await audit.verifyChain()).toMatchObject({ valid: false, problem: 'events_missing', pending: 1 });
    } finally {
      for (const row of saved) await behindTriggers(`INSERT INTO audit_events SELECT * FROM json_populate_record(NULL::audit_events, $1)`, [JSON.stringify(row)]);
    }
    expect((await audit.verifyChain()).valid).toBe(true);
  });

  it('finds history rewritten with every later hash recomputed: the checkpoints no longer match, and cannot be re-signed', async () => {
    const [head] = await newest(1);
    const [checkpoint] = await db.query(`SELECT id, head_hash FROM audit_checkpoints WHERE chain_pos = $1 ORDER BY id DESC LIMIT 1`, [head.chain_pos]);
    const [original] = await db.query(`SELECT reason, hash FROM audit_events WHERE id = $1`, [head.id]);
    // Rewrite the newest event and recompute its hash as the sealer would: the chain itself then holds.
    const rewritten = await rehash(head.id, 'Nothing to see here');
    await behindTriggers(`UPDATE audit_events SET reason = 'Nothing to see here', hash = $2 WHERE id = $1`, [head.id, rewritten]);
    try {
      expect(await audit.verifyChain()).toMatchObject({ valid: false, firstBrokenId: head.id, problem: 'checkpoint_mismatch' });
      // Moving the checkpoint along too: its signature no longer holds, and only the API's key could re-sign it.
      await behindTriggers(`UPDATE audit_checkpoints SET head_hash = $2 WHERE id = $1`, [checkpoint.id, rewritten]);
      expect(await audit.verifyChain()).toMatchObject({ valid: false, firstBrokenId: head.id, problem: 'checkpoint_signature' });
    } finally {
      await behindTriggers(`UPDATE audit_checkpoints SET head_hash = $2 WHERE id = $1`, [checkpoint.id, checkpoint.head_hash]);
      await behindTriggers(`UPDATE audit_events SET reason = $2, hash = $3 WHERE id = $1`, [head.id, original.reason, original.hash]);
    }
    expect((await audit.verifyChain()).valid).toBe(true);
  });

  async function rehash(id: string, reason: string): Promise<string> {
    const [row] = await db.query(`SELECT id, at, type, actor_type, actor_id, actor_email, subject_type, subject_id, ip, reason, data, prev_hash FROM audit_events WHERE id = $1`, [id]);
    return chainHash(row.prev_hash, chainedContent({ ...row, reason }));
  }
});
