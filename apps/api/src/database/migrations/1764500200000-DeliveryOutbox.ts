import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * message_deliveries becomes the transactional outbox: a row is written with the change that causes
 * the message and carries the sealed message until it is sent (see docs/deliveries.md).
 */
export class DeliveryOutbox1764500200000 implements MigrationInterface {
  name = 'DeliveryOutbox1764500200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE message_deliveries ALTER COLUMN provider DROP NOT NULL`);
    await db.query(`
      ALTER TABLE message_deliveries
        ADD COLUMN kind varchar(8) NOT NULL DEFAULT 'notice' CHECK (kind IN ('code', 'notice')),
        ADD COLUMN realm varchar(16),
        ADD COLUMN subject_id uuid,
        ADD COLUMN factor_id uuid,
        ADD COLUMN recipient_hint varchar(160),
        ADD COLUMN payload text,
        ADD COLUMN attempts smallint NOT NULL DEFAULT 0,
        ADD COLUMN next_attempt_at timestamptz,
        ADD COLUMN locked_until timestamptz,
        ADD COLUMN expires_at timestamptz,
        ADD COLUMN sent_at timestamptz,
        ADD COLUMN last_error varchar(300),
        ADD COLUMN provider_status varchar(32),
        ADD COLUMN resent_from uuid REFERENCES message_deliveries (id) ON DELETE SET NULL`);
    // Rows from before the outbox recorded the provider's own status word; it moves to provider_status.
    await db.query(`
      UPDATE message_deliveries SET provider_status = status,
        status = CASE WHEN status IN ('failed', 'undelivered') THEN 'failed' WHEN status IN ('delivered', 'read') THEN 'delivered' ELSE 'sent' END`);
    // What the workers look for: due rows, and claims whose lease ran out.
    await db.query(`CREATE INDEX message_deliveries_due_idx ON message_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await db.query(`CREATE INDEX message_deliveries_leased_idx ON message_deliveries (locked_until) WHERE status IN ('enqueued', 'sending')`);
    await db.query(`CREATE INDEX message_deliveries_subject_idx ON message_deliveries (subject_id, created_at DESC)`);
    await db.query(`CREATE INDEX message_deliveries_failed_idx ON message_deliveries (created_at DESC) WHERE status = 'failed'`);
    // A Twilio status callback can overtake the worker that records the message's sid: it waits here.
    await db.query(`
      CREATE TABLE message_status_early (
        provider_id varchar(128) PRIMARY KEY,
        status varchar(32) NOT NULL,
        error_code varchar(16),
        received_at timestamptz NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE message_status_early`);
    await db.query(`DROP INDEX message_deliveries_failed_idx`);
    await db.query(`DROP INDEX message_deliveries_subject_idx`);
    await db.query(`DROP INDEX message_deliveries_leased_idx`);
    await db.query(`DROP INDEX message_deliveries_due_idx`);
    // Unsent rows cannot be expressed in the old table (no provider yet): they go.
    await db.query(`DELETE FROM message_deliveries WHERE provider IS NULL`);
    await db.query(`UPDATE message_deliveries SET status = coalesce(provider_status, status)`);
    await db.query(`
      ALTER TABLE message_deliveries
        DROP COLUMN resent_from, DROP COLUMN provider_status, DROP COLUMN last_error, DROP COLUMN sent_at,
        DROP COLUMN expires_at, DROP COLUMN locked_until, DROP COLUMN next_attempt_at, DROP COLUMN attempts,
        DROP COLUMN payload, DROP COLUMN recipient_hint, DROP COLUMN factor_id, DROP COLUMN subject_id,
        DROP COLUMN realm, DROP COLUMN kind`);
    await db.query(`ALTER TABLE message_deliveries ALTER COLUMN provider SET NOT NULL`);
  }
}
