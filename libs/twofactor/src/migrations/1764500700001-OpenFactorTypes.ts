import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Factor types are whatever the FactorRegistry has (factor modules may add their own, a passkey), so
 * the database no longer lists them. The email-never-primary CHECK stays: a security invariant.
 */
export class OpenFactorTypes1764500700001 implements MigrationInterface {
  name = 'OpenFactorTypes1764500700001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mfa_factors DROP CONSTRAINT IF EXISTS mfa_factors_type_check`);
  }

  async down(db: QueryRunner): Promise<void> {
    // Only possible while no factor of another type exists: refuse clearly rather than lose rows.
    await db.query(`ALTER TABLE mfa_factors ADD CONSTRAINT mfa_factors_type_check CHECK (type IN ('totp', 'sms', 'email'))`);
  }
}
