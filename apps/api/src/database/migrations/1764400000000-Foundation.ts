import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1764400000000 implements MigrationInterface {
  name = 'Foundation1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE customers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(254) NOT NULL,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        password_changed_at timestamptz NOT NULL,
        last_login_at timestamptz,
        CONSTRAINT customers_email_key UNIQUE (email)
      )`);
    await db.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        realm varchar(16) NOT NULL CHECK (realm IN ('customer', 'staff')),
        subject_id uuid NOT NULL,
        scope varchar(16) NOT NULL CHECK (scope IN ('session', 'enroll')),
        amr jsonb NOT NULL DEFAULT '[]',
        method varchar(20),
        auth_time timestamptz NOT NULL,
        mfa_at timestamptz,
        created_at timestamptz NOT NULL,
        last_used_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason varchar(40),
        ip varchar(64),
        user_agent varchar(512)
      )`);
    await db.query(`CREATE INDEX sessions_subject_idx ON sessions (realm, subject_id)`);
    await db.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL,
        rotated_at timestamptz,
        CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash)
      )`);
    await db.query(`CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE refresh_tokens`);
    await db.query(`DROP TABLE sessions`);
    await db.query(`DROP TABLE customers`);
  }
}
