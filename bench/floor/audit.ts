// The contract floor's audit trail: append-only (the database refuses UPDATE and DELETE, except the
// sealer's one-time link) and hash-chained off the request path, as the contract asks: every second
// sealed in insertion order by this process. No lease (one floor process) and no signed checkpoints:
// the least a tamper-evident chain costs.
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';

const SEAL_BATCH = 1000;

export async function createAuditTable(pool: Pool): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS floor_audit_events (
    seq bigserial UNIQUE, id uuid PRIMARY KEY, at timestamptz NOT NULL, type text NOT NULL, subject_id uuid NOT NULL, ip text,
    data jsonb NOT NULL, prev_hash char(64), hash char(64))`);
  await pool.query(`CREATE INDEX IF NOT EXISTS floor_audit_unsealed ON floor_audit_events (seq) WHERE hash IS NULL`);
  await pool.query(`CREATE INDEX IF NOT EXISTS floor_audit_subject ON floor_audit_events (subject_id, at)`);
  await pool.query(`
    CREATE OR REPLACE FUNCTION floor_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND NEW.hash IS NOT NULL
         AND (OLD.id, OLD.at, OLD.type, OLD.subject_id, OLD.ip, OLD.data) IS NOT DISTINCT FROM (NEW.id, NEW.at, NEW.type, NEW.subject_id, NEW.ip, NEW.data) THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'audit events are append-only';
    END $$`);
  await pool.query(`DROP TRIGGER IF EXISTS floor_audit_append_only ON floor_audit_events`);
  await pool.query(`CREATE TRIGGER floor_audit_append_only BEFORE UPDATE OR DELETE ON floor_audit_events FOR EACH ROW EXECUTE FUNCTION floor_audit_append_only()`);
}

interface Unsealed { seq: string; id: string; at: Date; type: string; subject_id: string; ip: string | null; data: unknown }

/** Links what is unsealed to the chain, every second. */
export function startAuditSealer(pool: Pool): void {
  let head: string | null = null;
  const seal = async () => {
    head ??= (await pool.query(`SELECT hash FROM floor_audit_events WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1`)).rows[0]?.hash ?? '0'.repeat(64);
    for (;;) {
      const { rows } = await pool.query<Unsealed>(
        { name: 'floor_audit_unsealed', text: `SELECT seq, id, at, type, subject_id, ip, data FROM floor_audit_events WHERE hash IS NULL ORDER BY seq LIMIT ${SEAL_BATCH}`, values: [] },
      );
      if (!rows.length) return;
      const links = rows.map((row) => {
        const prev: string = head!;
        head = createHash('sha256').update(prev).update('\n')
          .update(JSON.stringify([row.id, row.at.toISOString(), row.type, row.subject_id, row.ip, row.data])).digest('hex');
        return [row.seq, prev, head];
      });
      await pool.query({
        name: 'floor_audit_seal',
        text: `UPDATE floor_audit_events e SET prev_hash = l.prev, hash = l.hash FROM unnest($1::bigint[], $2::text[], $3::text[]) AS l(seq, prev, hash) WHERE e.seq = l.seq`,
        values: [links.map((l) => l[0]), links.map((l) => l[1]), links.map((l) => l[2])],
      });
      if (rows.length < SEAL_BATCH) return;
    }
  };
  const tick = (): void => {
    seal()
      .catch((error: unknown) => {
        head = null; // read again from what was stored: a failed UPDATE linked nothing
        console.error('floor audit sealing failed', error);
      })
      .finally(() => setTimeout(tick, 1000).unref())
      .catch(() => undefined);
  };
  setTimeout(tick, 1000).unref();
}
