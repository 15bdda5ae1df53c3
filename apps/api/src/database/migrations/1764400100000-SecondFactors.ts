import { MigrationInterface, QueryRunner } from 'typeorm';

export class SecondFactors1764400100000 implements MigrationInterface {
  name = 'SecondFactors1764400100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE mfa_factors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        realm varchar(16) NOT NULL CHECK (realm IN ('customer', 'staff')),
        subject_id uuid NOT NULL,
        type varchar(16) NOT NULL CHECK (type IN ('totp', 'sms', 'email')),
        role varchar(16) NOT NULL CHECK (role IN ('primary', 'secondary')),
        status varchar(16) NOT NULL CHECK (status IN ('pending', 'active')),
        secret_sealed text,
        destination varchar(254),
        last_used_step bigint,
        created_at timestamptz NOT NULL,
        verified_at timestamptz,
        last_used_at timestamptz,
        CONSTRAINT mfa_factors_email_never_primary CHECK (NOT (type = 'email' AND role = 'primary'))
      )`);
    await db.query(`CREATE INDEX mfa_factors_subject_idx ON mfa_factors (realm, subject_id)`);
    // The factor rules the database itself guarantees, whatever races the application loses.
    await db.query(`CREATE UNIQUE INDEX mfa_factors_one_active_per_type ON mfa_factors (realm, subject_id, type) WHERE status = 'active'`);
    await db.query(`CREATE UNIQUE INDEX mfa_factors_one_active_primary ON mfa_factors (realm, subject_id) WHERE status = 'active' AND role = 'primary'`);

    await db.query(`
      CREATE TABLE mfa_challenges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        realm varchar(16) NOT NULL,
        subject_id uuid NOT NULL,
        token_hash char(64) NOT NULL,
        purpose varchar(16) NOT NULL DEFAULT 'login' CHECK (purpose IN ('login', 'step_up')),
        session_id uuid,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        auth_time timestamptz NOT NULL,
        failed_attempts int NOT NULL DEFAULT 0,
        completed_at timestamptz,
        ip varchar(64),
        user_agent varchar(512),
        CONSTRAINT mfa_challenges_token_hash_key UNIQUE (token_hash)
      )`);
    await db.query(`CREATE INDEX mfa_challenges_subject_idx ON mfa_challenges (realm, subject_id, created_at)`);

    await db.query(`
      CREATE TABLE mfa_codes (
        id uuid PRIMARY KEY,
        factor_id uuid NOT NULL REFERENCES mfa_factors (id) ON DELETE CASCADE,
        challenge_id uuid REFERENCES mfa_challenges (id) ON DELETE CASCADE,
        code_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        closed_at timestamptz
      )`);
    await db.query(`CREATE INDEX mfa_codes_factor_idx ON mfa_codes (factor_id, created_at)`);

    // Every code sent, kept when its factor is deleted: send caps per factor, per subject and per
    // destination must survive re-enrolment, or re-enrolling becomes a way to send texts without limit.
    await db.query(`
      CREATE TABLE mfa_send_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        realm varchar(16) NOT NULL,
        subject_id uuid NOT NULL,
        factor_id uuid NOT NULL,
        challenge_id uuid,
        destination_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX mfa_send_log_subject_idx ON mfa_send_log (realm, subject_id, created_at)`);
    await db.query(`CREATE INDEX mfa_send_log_destination_idx ON mfa_send_log (destination_hash, created_at)`);

    await db.query(`
      CREATE TABLE recovery_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        realm varchar(16) NOT NULL,
        subject_id uuid NOT NULL,
        code_hash char(64) NOT NULL,
        generated_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz
      )`);
    await db.query(`CREATE INDEX recovery_codes_lookup_idx ON recovery_codes (realm, subject_id, code_hash)`);

    await db.query(`
      CREATE TABLE mfa_subject_locks (
        realm varchar(16) NOT NULL,
        subject_id uuid NOT NULL,
        failed_count int NOT NULL DEFAULT 0,
        lock_count int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        PRIMARY KEY (realm, subject_id)
      )`);

    await db.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL UNIQUE,
        at timestamptz NOT NULL,
        type varchar(64) NOT NULL,
        actor_type varchar(16) NOT NULL,
        actor_id uuid,
        actor_email varchar(254),
        subject_type varchar(16) NOT NULL,
        subject_id uuid,
        ip varchar(64),
        reason varchar(500),
        data jsonb NOT NULL DEFAULT '{}',
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL
      )`);
    await db.query(`CREATE INDEX audit_events_subject_idx ON audit_events (subject_id, at)`);
    await db.query(`CREATE INDEX audit_events_type_at_idx ON audit_events (type, at)`);
    // Append-only: the database itself refuses to rewrite history.
    await db.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await db.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);

    await db.query(`
      CREATE TABLE message_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel varchar(8) NOT NULL,
        provider varchar(16) NOT NULL,
        provider_id varchar(128),
        status varchar(32) NOT NULL,
        purpose varchar(32),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX message_deliveries_created_idx ON message_deliveries (created_at)`);
    await db.query(`CREATE INDEX message_deliveries_provider_idx ON message_deliveries (provider_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE message_deliveries`);
    await db.query(`DROP TABLE audit_events`);
    await db.query(`DROP FUNCTION audit_events_append_only`);
    await db.query(`DROP TABLE mfa_subject_locks`);
    await db.query(`DROP TABLE recovery_codes`);
    await db.query(`DROP TABLE mfa_send_log`);
    await db.query(`DROP TABLE mfa_codes`);
    await db.query(`DROP TABLE mfa_challenges`);
    await db.query(`DROP TABLE mfa_factors`);
  }
}
