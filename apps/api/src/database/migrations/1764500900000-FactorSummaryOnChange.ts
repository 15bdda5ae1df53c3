import { MigrationInterface, QueryRunner } from 'typeorm';
import { summaryFunction } from './1764500500000-SupportResetGuardrails';

/**
 * The customer summary (BackOffice) was refreshed after every UPDATE of mfa_factors, so every TOTP
 * sign-in (it records the step it spent) paid for the transition tables, the trigger function and a
 * freshly planned summary query: a third of PostgreSQL's CPU in the sign-in bench, to find nothing
 * to change. Updates now refresh a customer only when a column the summary reads has changed. A
 * statement-level trigger cannot be filtered (PostgreSQL allows no WHEN with transition tables), so
 * this one is per row; inserts and deletes keep theirs.
 *
 * The refresh now locks the customer rows before it reads the factors, in a statement of its own. Read
 * in the same statement as its write, a refresh that waited for another transaction's refresh wrote a
 * summary from before that transaction's change; the old trigger mended that at the next sign-in, this
 * one would not. Locked first, the last refresh to run reads every change committed before it.
 */
export class FactorSummaryOnChange1764500900000 implements MigrationInterface {
  name = 'FactorSummaryOnChange1764500900000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(summaryFunction(true, true));
    await db.query(`DROP TRIGGER mfa_factors_customer_summary_update ON mfa_factors`);
    await db.query(`
      CREATE FUNCTION mfa_factor_refresh_customer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.realm = 'customer' THEN
          PERFORM customers_refresh_mfa_summary(ARRAY[OLD.subject_id]);
        END IF;
        IF NEW.realm = 'customer' AND (OLD.realm <> 'customer' OR OLD.subject_id <> NEW.subject_id) THEN
          PERFORM customers_refresh_mfa_summary(ARRAY[NEW.subject_id]);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER mfa_factors_customer_summary_update AFTER UPDATE ON mfa_factors FOR EACH ROW
      WHEN ((OLD.realm, OLD.subject_id, OLD.type, OLD.role, OLD.status, OLD.health_status)
            IS DISTINCT FROM (NEW.realm, NEW.subject_id, NEW.type, NEW.role, NEW.status, NEW.health_status))
      EXECUTE FUNCTION mfa_factor_refresh_customer()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER mfa_factors_customer_summary_update ON mfa_factors`);
    await db.query(`DROP FUNCTION mfa_factor_refresh_customer()`);
    await db.query(`
      CREATE TRIGGER mfa_factors_customer_summary_update AFTER UPDATE ON mfa_factors
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mfa_factors_refresh_customers()`);
    await db.query(summaryFunction(true));
  }
}
