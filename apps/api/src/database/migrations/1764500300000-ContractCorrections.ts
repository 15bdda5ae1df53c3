import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 8: an attempt budget for enrolment confirmations, and the per-account password-guessing
 * throttle (failures per email, and the clients each account completed a sign-in from).
 */
export class ContractCorrections1764500300000 implements MigrationInterface {
  name = 'ContractCorrections1764500300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mfa_factors ADD COLUMN failed_attempts integer NOT NULL DEFAULT 0`);
    await db.query(`CREATE INDEX mfa_factors_pending_idx ON mfa_factors (created_at) WHERE status = 'pending'`);

    // Keyed by a keyed hash of the normalised email, not the account: an unknown email is throttled
    // exactly like a known one, so the throttle tells nobody which emails have accounts. `failures` counts
    // tries since the last right password (each is counted before its password is checked).
    await db.query(`
      CREATE TABLE password_failures (
        realm varchar(16) NOT NULL,
        email_hash char(64) NOT NULL,
        failures integer NOT NULL,
        last_try_at timestamptz NOT NULL,
        blocked_until timestamptz,
        PRIMARY KEY (realm, email_hash)
      )`);
    await db.query(`CREATE INDEX password_failures_last_idx ON password_failures (last_try_at)`);

    await db.query(`
      CREATE TABLE sign_in_clients (
        realm varchar(16) NOT NULL,
        subject_id uuid NOT NULL,
        ip_hash char(64) NOT NULL,
        last_success_at timestamptz NOT NULL,
        PRIMARY KEY (realm, subject_id, ip_hash)
      )`);
    await db.query(`CREATE INDEX sign_in_clients_last_idx ON sign_in_clients (last_success_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sign_in_clients`);
    await db.query(`DROP TABLE password_failures`);
    await db.query(`DROP INDEX mfa_factors_pending_idx`);
    await db.query(`ALTER TABLE mfa_factors DROP COLUMN failed_attempts`);
  }
}
