import { MigrationInterface, QueryRunner } from 'typeorm';

/** Password reset tokens, the reset's second-factor challenge, and trusted ("remembered") devices. */
export class AccountRecovery1764500600000 implements MigrationInterface {
  name = 'AccountRecovery1764500600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE password_reset_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        ip varchar(64),
        CONSTRAINT password_reset_tokens_token_hash_key UNIQUE (token_hash)
      )`);
    // A new request kills the previous token: at most one live token per customer, whatever races.
    await db.query(`
      CREATE UNIQUE INDEX password_reset_tokens_one_live ON password_reset_tokens (customer_id)
      WHERE used_at IS NULL AND revoked_at IS NULL`);
    // The hourly cap on reset emails counts an account's recent tokens.
    await db.query(`CREATE INDEX password_reset_tokens_customer_idx ON password_reset_tokens (customer_id, created_at)`);

    // A reset's second-factor challenge names the token it would spend.
    await db.query(`ALTER TABLE mfa_challenges DROP CONSTRAINT mfa_challenges_purpose_check`);
    await db.query(`ALTER TABLE mfa_challenges ADD CONSTRAINT mfa_challenges_purpose_check CHECK (purpose IN ('login', 'step_up', 'password_reset'))`);
    await db.query(`ALTER TABLE mfa_challenges ADD COLUMN reset_token_id uuid REFERENCES password_reset_tokens (id) ON DELETE CASCADE`);
    await db.query(`
      ALTER TABLE mfa_challenges ADD CONSTRAINT mfa_challenges_reset_token_check
      CHECK ((purpose = 'password_reset') = (reset_token_id IS NOT NULL))`);

    await db.query(`
      CREATE TABLE trusted_devices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL,
        label varchar(100) NOT NULL,
        user_agent varchar(512),
        ip varchar(64),
        created_at timestamptz NOT NULL,
        last_used_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason varchar(40),
        CONSTRAINT trusted_devices_token_hash_key UNIQUE (token_hash)
      )`);
    await db.query(`CREATE INDEX trusted_devices_customer_idx ON trusted_devices (customer_id) WHERE revoked_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE trusted_devices`);
    await db.query(`DELETE FROM mfa_challenges WHERE purpose = 'password_reset'`);
    await db.query(`ALTER TABLE mfa_challenges DROP CONSTRAINT mfa_challenges_reset_token_check`);
    await db.query(`ALTER TABLE mfa_challenges DROP COLUMN reset_token_id`);
    await db.query(`ALTER TABLE mfa_challenges DROP CONSTRAINT mfa_challenges_purpose_check`);
    await db.query(`ALTER TABLE mfa_challenges ADD CONSTRAINT mfa_challenges_purpose_check CHECK (purpose IN ('login', 'step_up'))`);
    await db.query(`DROP TABLE password_reset_tokens`);
  }
}
