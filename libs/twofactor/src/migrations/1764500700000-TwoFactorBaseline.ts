import { MigrationInterface, QueryRunner } from 'typeorm';

/** Marks tables this baseline created, so its down() drops only what its up() made. */
const CREATED_BY_BASELINE = 'twofactor:baseline';

/**
 * The library's tables as they stand, for a host app's data source. Every statement is IF NOT EXISTS:
 * in Twofold the app's earlier migrations already made these tables and this is a no-op; in a new host
 * it creates the whole schema. Keep it equal to what Twofold's migrations produce (two-factor-migrations.e2e-spec.ts
 * compares them). Not here: the host's own links (Twofold's reset-token foreign key, its customer summary triggers).
 */
export class TwoFactorBaseline1764500700000 implements MigrationInterface {
  name = 'TwoFactorBaseline1764500700000';

  async up(db: QueryRunner): Promise<void> {
    const fresh = !(await db.hasTable('mfa_factors'));
    await db.query(`
      CREATE TABLE IF NOT EXISTS mfa_factors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        realm varchar(16) NOT NULL CONSTRAINT mfa_factors_realm_check CHECK (realm IN ('customer', 'staff')),
        subject_id uuid NOT NULL,
        type varchar(16) NOT NULL,
        role varchar(16) NOT NULL CONSTRAINT mfa_factors_role_check CHECK (role IN ('primary', 'secondary')),
        status varchar(16) NOT NULL CONSTRAINT mfa_factors_status_check CHECK (status IN ('pending', 'active')),
        secret_sealed text,
        destination varchar(254),
        last_used_step bigint,
        created_at timestamptz NOT NULL,
        verified_at timestamptz,
        last_used_at timestamptz,
        failed_attempts int NOT NULL DEFAULT 0,
        health_status varchar(16) NOT NULL DEFAULT 'ok',
        delivery_failures_in_row smallint NOT NULL DEFAULT 0,
        last_delivery_status varchar(32),
        last_delivery_at timestamptz,
        -- A security invariant, whatever the factor registry says: a mailbox never stands as the primary.
        CONSTRAINT mfa_factors_email_never_primary CHECK (NOT (type = 'email' AND role = 'primary'))
      )`);
    await db.query(`CREATE INDEX IF NOT EXISTS mfa_factors_subject_idx ON mfa_factors (realm, subject_id)`);
    // The factor rules the database itself guarantees, whatever races the application loses.
    await db.query(`CREATE UNIQUE INDEX IF NOT EXISTS mfa_factors_one_active_per_type ON mfa_factors (realm, subject_id, type) WHERE status = 'active'`);
    await db.query(`CREATE UNIQUE INDEX IF NOT EXISTS mfa_factors_one_active_primary ON mfa_factors (realm, subject_id) WHERE status = 'active' AND role = 'primary'`);
    await db.query(`CREATE INDEX IF NOT EXISTS mfa_factors_pending_idx ON mfa_factors (created_at) WHERE status = 'pending'`);
    await db.query(`CREATE INDEX IF NOT EXISTS mfa_factors_failing_idx ON mfa_factors (realm, subject_id) WHERE status = 'active' AND health_status = 'failing'`);

    await db.query(`
      CREATE TABLE IF NOT EXISTS mfa_challenges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        realm varchar(16) NOT NULL,
        subject_id uuid NOT NULL,
        token_hash char(64) NOT NULL CONSTRAINT mfa_challenges_token_hash_key UNIQUE,
        purpose varchar(16) NOT NULL DEFAULT 'login' CONSTRAINT mfa_challenges_purpose_check CHECK (purpose IN ('login', 'step_up', 'password_reset')),
        session_id uuid,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        auth_time timestamptz NOT NULL,
        failed_attempts int NOT NULL DEFAULT 0,
        completed_at timestamptz,
        ip varchar(64),
        user_agent varchar(512),
        reset_token_id uuid,
        CONSTRAINT mfa_challenges_reset_token_check CHECK ((purpose = 'password_reset') = (reset_token_id IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX IF NOT EXISTS mfa_challenges_subject_idx ON mfa_challenges (realm, subject_id, created_at)`);

    await db.query(`
      CREATE TABLE IF NOT EXISTS mfa_codes (
        id uuid PRIMARY KEY,
        factor_id uuid NOT NULL REFERENCES mfa_factors (id) ON DELETE CASCADE,
        challenge_id uuid REFERENCES mfa_challenges (id) ON DELETE CASCADE,
        code_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        closed_at timestamptz
      )`);
    await db.query(`CREATE INDEX IF NOT EXISTS mfa_codes_factor_idx ON mfa_codes (factor_id, created_at)`);

    await db.query(`
      CREATE TABLE IF NOT EXISTS recovery_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        realm varchar(16) NOT NULL,
        subject_id uuid NOT NULL,
        code_hash char(64) NOT NULL,
        generated_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        hash_key_id varchar(64)
      )`);
    await db.query(`CREATE INDEX IF NOT EXISTS recovery_codes_lookup_idx ON recovery_codes (realm, subject_id, code_hash)`);
    await db.query(`CREATE INDEX IF NOT EXISTS recovery_codes_unused_idx ON recovery_codes (realm, subject_id) WHERE used_at IS NULL AND revoked_at IS NULL`);

    await db.query(`
      CREATE TABLE IF NOT EXISTS mfa_subject_locks (
        realm varchar(16) NOT NULL,
        subject_id uuid NOT NULL,
        failed_count int NOT NULL DEFAULT 0,
        lock_count int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        PRIMARY KEY (realm, subject_id)
      )`);
    await db.query(`CREATE INDEX IF NOT EXISTS mfa_subject_locks_locked_idx ON mfa_subject_locks (locked_until) WHERE locked_until IS NOT NULL`);

    await db.query(`
      CREATE TABLE IF NOT EXISTS mfa_send_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        realm varchar(16) NOT NULL,
        subject_id uuid NOT NULL,
        factor_id uuid NOT NULL,
        challenge_id uuid,
        destination_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX IF NOT EXISTS mfa_send_log_subject_idx ON mfa_send_log (realm, subject_id, created_at)`);
    await db.query(`CREATE INDEX IF NOT EXISTS mfa_send_log_destination_idx ON mfa_send_log (destination_hash, created_at)`);

    if (fresh) await db.query(`COMMENT ON TABLE mfa_factors IS '${CREATED_BY_BASELINE}'`);
  }

  async down(db: QueryRunner): Promise<void> {
    // Tables an earlier migration of the host made (Twofold's) are that migration's to drop.
    const [row] = (await db.query(`SELECT obj_description('mfa_factors'::regclass, 'pg_class') AS note`)) as { note: string | null }[];
    if (row?.note !== CREATED_BY_BASELINE) return;
    await db.query(`DROP TABLE mfa_send_log, mfa_subject_locks, recovery_codes, mfa_codes, mfa_challenges, mfa_factors`);
  }
}
