import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs after the library's migrations (they open mfa_factors.type to any registered kind).
 * A passkey factor's WebAuthn credential, and the challenges its ceremonies sign. Both hang off the
 * library's mfa_factors row, so removing or resetting a factor removes them too.
 */
export class Passkeys1764500800000 implements MigrationInterface {
  name = 'Passkeys1764500800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE passkey_credentials (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        factor_id uuid NOT NULL REFERENCES mfa_factors (id) ON DELETE CASCADE,
        credential_id varchar(1366) NOT NULL,
        public_key bytea NOT NULL,
        counter bigint NOT NULL DEFAULT 0,
        transports varchar(16)[] NOT NULL DEFAULT '{}',
        user_handle varchar(88) NOT NULL,
        aaguid uuid,
        created_at timestamptz NOT NULL,
        last_used_at timestamptz,
        CONSTRAINT passkey_credentials_credential_id_key UNIQUE (credential_id),
        CONSTRAINT passkey_credentials_counter_check CHECK (counter BETWEEN 0 AND 4294967295)
      )`);
    // One credential per factor: the factor is the credential, as far as the factor rules go.
    await db.query(`CREATE UNIQUE INDEX passkey_credentials_factor_key ON passkey_credentials (factor_id)`);

    await db.query(`
      CREATE TABLE passkey_challenges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        factor_id uuid NOT NULL REFERENCES mfa_factors (id) ON DELETE CASCADE,
        mfa_challenge_id uuid REFERENCES mfa_challenges (id) ON DELETE CASCADE,
        challenge varchar(88) NOT NULL,
        user_handle varchar(88),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        CONSTRAINT passkey_challenges_challenge_key UNIQUE (challenge),
        CONSTRAINT passkey_challenges_enrolment_handle_check CHECK ((mfa_challenge_id IS NULL) = (user_handle IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX passkey_challenges_factor_idx ON passkey_challenges (factor_id)`);
    // The library purges old sign-ins; the cascade then finds their passkey challenges by this index.
    await db.query(`CREATE INDEX passkey_challenges_mfa_challenge_idx ON passkey_challenges (mfa_challenge_id) WHERE mfa_challenge_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    // Passkey factors cannot work without their credentials: they go with them (and the library's own
    // down migrations can then close the type column again).
    await db.query(`DELETE FROM mfa_factors WHERE type = 'passkey'`);
    await db.query(`DROP TABLE passkey_challenges`);
    await db.query(`DROP TABLE passkey_credentials`);
  }
}
