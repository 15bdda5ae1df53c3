import { MigrationInterface, QueryRunner } from 'typeorm';

export class BackOffice1764400200000 implements MigrationInterface {
  name = 'BackOffice1764400200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE staff (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(254) NOT NULL,
        name varchar(200) NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
        password_hash text NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        last_login_at timestamptz,
        password_changed_at timestamptz NOT NULL,
        setup_password boolean NOT NULL DEFAULT true,
        CONSTRAINT staff_email_key UNIQUE (email),
        CONSTRAINT staff_email_lower CHECK (email = lower(email))
      )`);

    // The back office's customer list (100 000+ rows) filters and counts on each customer's factor
    // setup. Derived from mfa_factors on every read it costs a hashed semi-join per filter (hundreds of
    // ms), so the database keeps a summary on the customer row itself, maintained by triggers on
    // mfa_factors whatever code path changes a factor: the active primary's type and how many
    // active secondaries there are. Counts on it are index-only scans of customers_mfa_idx.
    await db.query(`ALTER TABLE customers ADD COLUMN mfa_primary_type varchar(16)`);
    await db.query(`ALTER TABLE customers ADD COLUMN mfa_secondary_count smallint NOT NULL DEFAULT 0`);
    await db.query(`
      CREATE FUNCTION customers_refresh_mfa_summary(ids uuid[]) RETURNS void LANGUAGE sql AS $$
        UPDATE customers c SET mfa_primary_type = s.primary_type, mfa_secondary_count = s.secondary_count
        FROM (
          SELECT u.subject AS id,
            (SELECT f.type FROM mfa_factors f
              WHERE f.realm = 'customer' AND f.subject_id = u.subject AND f.status = 'active' AND f.role = 'primary' LIMIT 1) AS primary_type,
            (SELECT count(*) FROM mfa_factors f
              WHERE f.realm = 'customer' AND f.subject_id = u.subject AND f.status = 'active' AND f.role = 'secondary') AS secondary_count
          FROM unnest(ids) AS u(subject)
        ) s
        WHERE c.id = s.id
          AND (c.mfa_primary_type IS DISTINCT FROM s.primary_type OR c.mfa_secondary_count IS DISTINCT FROM s.secondary_count)
      $$`);
    // Statement-level with transition tables: a bulk change refreshes each customer once.
    await db.query(`
      CREATE FUNCTION mfa_factors_refresh_customers() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM customers_refresh_mfa_summary(ARRAY(SELECT DISTINCT subject_id FROM new_rows WHERE realm = 'customer'));
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM customers_refresh_mfa_summary(ARRAY(SELECT DISTINCT subject_id FROM old_rows WHERE realm = 'customer'));
        ELSE
          PERFORM customers_refresh_mfa_summary(ARRAY(
            SELECT subject_id FROM new_rows WHERE realm = 'customer' UNION SELECT subject_id FROM old_rows WHERE realm = 'customer'));
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER mfa_factors_customer_summary_insert AFTER INSERT ON mfa_factors
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mfa_factors_refresh_customers()`);
    await db.query(`
      CREATE TRIGGER mfa_factors_customer_summary_update AFTER UPDATE ON mfa_factors
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mfa_factors_refresh_customers()`);
    await db.query(`
      CREATE TRIGGER mfa_factors_customer_summary_delete AFTER DELETE ON mfa_factors
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mfa_factors_refresh_customers()`);
    await db.query(`SELECT customers_refresh_mfa_summary(ARRAY(SELECT DISTINCT subject_id FROM mfa_factors WHERE realm = 'customer'))`);

    // Emails are stored lower-cased, so a pattern-ops btree serves `email LIKE 'prefix%'` whatever
    // the collation; the other indexes give each list order without a sort.
    await db.query(`CREATE INDEX customers_mfa_idx ON customers (mfa_primary_type, mfa_secondary_count)`);
    await db.query(`CREATE INDEX customers_email_pattern_idx ON customers (email text_pattern_ops)`);
    await db.query(`CREATE INDEX customers_created_at_idx ON customers (created_at, id)`);
    await db.query(`CREATE INDEX customers_last_login_at_idx ON customers (last_login_at DESC NULLS LAST, id DESC)`);
    await db.query(`CREATE INDEX mfa_subject_locks_locked_idx ON mfa_subject_locks (locked_until) WHERE locked_until IS NOT NULL`);
    await db.query(`CREATE INDEX recovery_codes_unused_idx ON recovery_codes (realm, subject_id) WHERE used_at IS NULL AND revoked_at IS NULL`);
    // Substring search ("smith" anywhere in the email) needs trigrams. pg_trgm ships with PostgreSQL
    // (and is a trusted extension); embedded PGlite lacks it, and there a sequential scan of a
    // development-sized table is fast enough. A savepoint keeps a refusal from failing the migration.
    const [trgm] = await db.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'`);
    if (trgm) {
      await db.query(`SAVEPOINT back_office_trgm`);
      try {
        await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
        await db.query(`CREATE INDEX customers_email_trgm_idx ON customers USING gin (email gin_trgm_ops)`);
        await db.query(`RELEASE SAVEPOINT back_office_trgm`);
      } catch {
        await db.query(`ROLLBACK TO SAVEPOINT back_office_trgm`);
      }
    }

    // The audit list's filters and its default order (newest first).
    await db.query(`CREATE INDEX audit_events_at_idx ON audit_events (at)`);
    await db.query(`CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX audit_events_actor_idx`);
    await db.query(`DROP INDEX audit_events_at_idx`);
    // pg_trgm, when it was installed, stays: other schemas may use it.
    await db.query(`DROP INDEX IF EXISTS customers_email_trgm_idx`);
    await db.query(`DROP INDEX recovery_codes_unused_idx`);
    await db.query(`DROP INDEX mfa_subject_locks_locked_idx`);
    await db.query(`DROP INDEX customers_last_login_at_idx`);
    await db.query(`DROP INDEX customers_created_at_idx`);
    await db.query(`DROP INDEX customers_email_pattern_idx`);
    await db.query(`DROP INDEX customers_mfa_idx`);
    await db.query(`DROP TRIGGER mfa_factors_customer_summary_delete ON mfa_factors`);
    await db.query(`DROP TRIGGER mfa_factors_customer_summary_update ON mfa_factors`);
    await db.query(`DROP TRIGGER mfa_factors_customer_summary_insert ON mfa_factors`);
    await db.query(`DROP FUNCTION mfa_factors_refresh_customers()`);
    await db.query(`DROP FUNCTION customers_refresh_mfa_summary(uuid[])`);
    await db.query(`ALTER TABLE customers DROP COLUMN mfa_secondary_count`);
    await db.query(`ALTER TABLE customers DROP COLUMN mfa_primary_type`);
    await db.query(`DROP TABLE staff`);
  }
}
