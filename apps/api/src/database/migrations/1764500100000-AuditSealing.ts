import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain moves off the request path: a request inserts its event unsealed (no hash, no
 * chain position); one sealer at a time chains committed events in order and writes a signed
 * checkpoint of the head into an insert-only table. See docs/audit.md.
 */
export class AuditSealing1764500100000 implements MigrationInterface {
  name = 'AuditSealing1764500100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE audit_events ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL`);
    await db.query(`ALTER TABLE audit_events ADD COLUMN chain_pos bigint, ADD COLUMN sealed_at timestamptz`);
    // Events chained so far keep their links; their position in the chain is their old order.
    await db.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`);
    await db.query(`UPDATE audit_events SET chain_pos = seq, sealed_at = at`);
    await db.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete`);
    await db.query(`ALTER TABLE audit_events ADD CONSTRAINT audit_events_chain_pos_key UNIQUE (chain_pos)`);
    await db.query(`ALTER TABLE audit_events ADD CONSTRAINT audit_events_sealed_whole CHECK ((hash IS NULL) = (chain_pos IS NULL) AND (hash IS NULL) = (prev_hash IS NULL))`);
    // The sealer's work queue stays small however long the trail grows.
    await db.query(`CREATE INDEX audit_events_unsealed_idx ON audit_events (seq) WHERE hash IS NULL`);
    // Still append-only, with one exception: sealing an unsealed event once, without touching its content.
    await db.query(`
      CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND NEW.hash IS NOT NULL
           AND (NEW.id, NEW.seq, NEW.at, NEW.type, NEW.actor_type, NEW.actor_id, NEW.actor_email, NEW.subject_type,
                NEW.subject_id, NEW.ip, NEW.reason, NEW.data)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.seq, OLD.at, OLD.type, OLD.actor_type, OLD.actor_id, OLD.actor_email, OLD.subject_type,
                OLD.subject_id, OLD.ip, OLD.reason, OLD.data) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);

    await db.query(`
      CREATE TABLE audit_checkpoints (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        chain_pos bigint NOT NULL,
        head_hash char(64) NOT NULL,
        event_count bigint NOT NULL,
        key_id varchar(64) NOT NULL,
        signature text NOT NULL
      )`);
    await db.query(`CREATE INDEX audit_checkpoints_pos_idx ON audit_checkpoints (chain_pos)`);
    await db.query(`
      CREATE FUNCTION audit_checkpoints_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_checkpoints is insert-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON audit_checkpoints
      FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_insert_only()`);
    await db.query(`
      CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_insert_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    const [{ unsealed }] = await db.query(`SELECT count(*)::int AS unsealed FROM audit_events WHERE hash IS NULL`);
    // Unsealed events cannot be chained in SQL, and deleting them would lose history: seal first.
    if (unsealed > 0) throw new Error(`${unsealed} audit events are not sealed yet: start the API once to seal them, then revert`);
    await db.query(`DROP TABLE audit_checkpoints`);
    await db.query(`DROP FUNCTION audit_checkpoints_insert_only`);
    await db.query(`
      CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`DROP INDEX audit_events_unsealed_idx`);
    await db.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_sealed_whole`);
    await db.query(`ALTER TABLE audit_events DROP CONSTRAINT audit_events_chain_pos_key`);
    await db.query(`ALTER TABLE audit_events DROP COLUMN chain_pos, DROP COLUMN sealed_at`);
    await db.query(`ALTER TABLE audit_events ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL`);
  }
}
