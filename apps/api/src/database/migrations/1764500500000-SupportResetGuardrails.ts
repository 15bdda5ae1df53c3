import { MigrationInterface, QueryRunner } from 'typeorm';

export class SupportResetGuardrails1764500500000 implements MigrationInterface {
  name = 'SupportResetGuardrails1764500500000';

  async up(db: QueryRunner): Promise<void> {
    // A whole reset is a request first: approved by a second supervisor, then run after a delay the
    // customer can use to stop it. The row is the schedule; the runner claims due rows with
    // FOR UPDATE SKIP LOCKED, so each runs once whatever the number of instances.
    await db.query(`
      CREATE TABLE support_resets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        requested_by uuid NOT NULL,
        approved_by uuid,
        reason varchar(500) NOT NULL,
        verification varchar(32) NOT NULL,
        status varchar(24) NOT NULL CHECK (status IN ('awaiting_approval', 'scheduled', 'executed', 'cancelled', 'expired')),
        created_at timestamptz NOT NULL,
        approval_expires_at timestamptz NOT NULL,
        approved_at timestamptz,
        executes_at timestamptz,
        executed_at timestamptz,
        cancelled_at timestamptz,
        cancelled_by jsonb,
        cancel_reason varchar(500),
        cancel_token_hash varchar(64),
        CONSTRAINT support_resets_cancel_token_key UNIQUE (cancel_token_hash)
      )`);
    // One open request per customer: a second supervisor cannot stack a reset behind a pending one.
    await db.query(`CREATE UNIQUE INDEX support_resets_one_open_idx ON support_resets (customer_id) WHERE status IN ('awaiting_approval', 'scheduled')`);
    await db.query(`CREATE INDEX support_resets_due_idx ON support_resets (executes_at) WHERE status = 'scheduled'`);
    await db.query(`CREATE INDEX support_resets_awaiting_idx ON support_resets (approval_expires_at) WHERE status = 'awaiting_approval'`);
    await db.query(`CREATE INDEX support_resets_created_idx ON support_resets (created_at, id)`);

    // Channel health of SMS and email factors, fed by delivery outcomes.
    await db.query(`ALTER TABLE mfa_factors ADD COLUMN health_status varchar(16) NOT NULL DEFAULT 'ok'`);
    await db.query(`ALTER TABLE mfa_factors ADD COLUMN delivery_failures_in_row smallint NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE mfa_factors ADD COLUMN last_delivery_status varchar(32)`);
    await db.query(`ALTER TABLE mfa_factors ADD COLUMN last_delivery_at timestamptz`);
    // Few factors fail at any time: the at-risk filter and the dashboard read them from this small index.
    await db.query(`CREATE INDEX mfa_factors_failing_idx ON mfa_factors (realm, subject_id) WHERE status = 'active' AND health_status = 'failing'`);
    // The customer summary (see BackOffice) also counts failing channels, so the at-risk filter and its
    // count read customers alone instead of probing mfa_factors for each of 100 000 rows.
    await db.query(`ALTER TABLE customers ADD COLUMN mfa_failing_count smallint NOT NULL DEFAULT 0`);
    await db.query(summaryFunction(true));
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(summaryFunction(false));
    await db.query(`ALTER TABLE customers DROP COLUMN mfa_failing_count`);
    await db.query(`DROP INDEX mfa_factors_failing_idx`);
    await db.query(`ALTER TABLE mfa_factors DROP COLUMN last_delivery_at`);
    await db.query(`ALTER TABLE mfa_factors DROP COLUMN last_delivery_status`);
    await db.query(`ALTER TABLE mfa_factors DROP COLUMN delivery_failures_in_row`);
    await db.query(`ALTER TABLE mfa_factors DROP COLUMN health_status`);
    await db.query(`DROP TABLE support_resets`);
  }
}

/**
 * The customer-summary function of the BackOffice migration, with (up) or without (down) the failing count;
 * `lockFirst` as FactorSummaryOnChange made it.
 */
export function summaryFunction(withFailing: boolean, lockFirst = false): string {
  const active = `f.realm = 'customer' AND f.subject_id = u.subject AND f.status = 'active'`;
  return `
    CREATE OR REPLACE FUNCTION customers_refresh_mfa_summary(ids uuid[]) RETURNS void LANGUAGE sql AS $$
      ${lockFirst ? 'SELECT 1 FROM customers WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;' : ''}
      UPDATE customers c SET mfa_primary_type = s.primary_type, mfa_secondary_count = s.secondary_count
        ${withFailing ? ', mfa_failing_count = s.failing_count' : ''}
      FROM (
        SELECT u.subject AS id,
          (SELECT f.type FROM mfa_factors f WHERE ${active} AND f.role = 'primary' LIMIT 1) AS primary_type,
          (SELECT count(*) FROM mfa_factors f WHERE ${active} AND f.role = 'secondary') AS secondary_count
          ${withFailing ? `, (SELECT count(*) FROM mfa_factors f WHERE ${active} AND f.health_status = 'failing') AS failing_count` : ''}
        FROM unnest(ids) AS u(subject)
      ) s
      WHERE c.id = s.id
        AND (c.mfa_primary_type IS DISTINCT FROM s.primary_type OR c.mfa_secondary_count IS DISTINCT FROM s.secondary_count
             ${withFailing ? 'OR c.mfa_failing_count IS DISTINCT FROM s.failing_count' : ''})
    $$`;
}
