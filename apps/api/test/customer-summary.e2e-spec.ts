import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { describeOnPostgres } from './support/on-postgres';
import { createTestDatabase, TestDatabase } from './support/test-database';

/**
 * The customer row's factor summary (the back office's list filters on it) is kept by triggers on
 * mfa_factors. It must follow every change of a factor's type, role, status or health, and cost
 * nothing when a sign-in only records the TOTP step it spent. Function-call statistics need one
 * session on a real server, so this runs on PostgreSQL.
 */
describeOnPostgres('The customer factor summary', () => {
  let database: TestDatabase;
  let app: DataSource;
  let db: Client;
  const customer = randomUUID();
  const totp = randomUUID();
  const sms = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase();
    app = new DataSource(dataSourceOptions({ DATABASE_URL: database.url, DATA_DIR: '' }) as never);
    await app.initialize();
    await app.runMigrations();
    db = new Client({ connectionString: database.url });
    await db.connect();
    await db.query(`SET track_functions = 'all'`);
    await db.query(`INSERT INTO customers (id, email, password_hash, created_at, password_changed_at) VALUES ($1, 'summary@example.test', 'x', now(), now())`, [customer]);
    await db.query(
      `INSERT INTO mfa_factors (id, realm, subject_id, type, role, status, secret_sealed, destination, created_at)
       VALUES ($1, 'customer', $3, 'totp', 'primary', 'active', 'sealed', NULL, now()), ($2, 'customer', $3, 'sms', 'secondary', 'active', NULL, '+447700900123', now())`,
      [totp, sms, customer],
    );
  });
  afterAll(async () => {
    await db?.end();
    await app?.destroy();
    await database?.drop();
  });

  async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
    for (const deadline = Date.now() + 5000; !(await condition()); await new Promise((wait) => setTimeout(wait, 20))) {
      if (Date.now() > deadline) throw new Error('Timed out waiting for the other session to block');
    }
  }

  const summary = async () =>
    (await db.query(`SELECT mfa_primary_type AS primary, mfa_secondary_count AS secondaries, mfa_failing_count AS failing FROM customers WHERE id = $1`, [customer])).rows[0];
  async function refreshCalls(): Promise<number> {
    await db.query(`SELECT pg_stat_force_next_flush()`);
    await db.query(`SELECT pg_stat_clear_snapshot()`);
    const { rows } = await db.query(`SELECT coalesce(sum(calls), 0)::int AS calls FROM pg_stat_user_functions WHERE funcname = 'customers_refresh_mfa_summary'`);
    return rows[0].calls;
  }

  it('follows the factors as they are made', async () => {
    expect(await summary()).toEqual({ primary: 'totp', secondaries: 1, failing: 0 });
  });

  it('is not refreshed when a sign-in records the step it spent', async () => {
    const before = await refreshCalls();
    await db.query(`UPDATE mfa_factors SET last_used_step = 123, last_used_at = now() WHERE id = $1`, [totp]);
    expect(await refreshCalls()).toBe(before);
    expect(await summary()).toEqual({ primary: 'totp', secondaries: 1, failing: 0 });
  });

  it('follows a change of the default method', async () => {
    await db.query('BEGIN');
    await db.query(`UPDATE mfa_factors SET role = 'secondary' WHERE id = $1`, [totp]);
    await db.query(`UPDATE mfa_factors SET role = 'primary' WHERE id = $1`, [sms]);
    await db.query('COMMIT');
    expect(await summary()).toEqual({ primary: 'sms', secondaries: 1, failing: 0 });
  });

  it('follows health and status changes, several rows in one statement too', async () => {
    await db.query(`UPDATE mfa_factors SET health_status = 'failing' WHERE subject_id = $1`, [customer]);
    expect(await summary()).toEqual({ primary: 'sms', secondaries: 1, failing: 2 });
    await db.query(`UPDATE mfa_factors SET health_status = 'ok' WHERE id = $1`, [totp]);
    await db.query(`UPDATE mfa_factors SET status = 'pending' WHERE id = $1`, [sms]);
    expect(await summary()).toEqual({ primary: null, secondaries: 1, failing: 0 });
  });

  it('reads changes committed while it waited for another refresh of the same customer', async () => {
    const racer = randomUUID();
    const [first, second] = [randomUUID(), randomUUID()];
    await db.query(`INSERT INTO customers (id, email, password_hash, created_at, password_changed_at) VALUES ($1, 'race@example.test', 'x', now(), now())`, [racer]);
    await db.query(
      `INSERT INTO mfa_factors (id, realm, subject_id, type, role, status, secret_sealed, destination, created_at)
       VALUES ($1, 'customer', $3, 'totp', 'primary', 'active', 'sealed', NULL, now()), ($2, 'customer', $3, 'sms', 'secondary', 'active', NULL, '+447700900124', now())`,
      [first, second, racer],
    );
    const other = new Client({ connectionString: database.url });
    await other.connect();
    try {
      // One transaction takes the primary away and holds on; meanwhile another changes the secondary's health.
      await db.query('BEGIN');
      await db.query(`UPDATE mfa_factors SET status = 'pending' WHERE id = $1`, [first]);
      const [{ pid }] = (await other.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
      const meanwhile = other.query(`UPDATE mfa_factors SET health_status = 'failing' WHERE id = $1`, [second]);
      await waitUntil(async () => (await db.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [pid])).rows[0]?.wait_event_type === 'Lock');
      await db.query('COMMIT');
      await meanwhile;
    } finally {
      await other.end();
    }
    const { rows } = await db.query(`SELECT mfa_primary_type AS primary, mfa_secondary_count AS secondaries, mfa_failing_count AS failing FROM customers WHERE id = $1`, [racer]);
    expect(rows[0]).toEqual({ primary: null, secondaries: 1, failing: 1 });
  });

  it('follows a factor moved to another customer', async () => {
    const other = randomUUID();
    await db.query(`INSERT INTO customers (id, email, password_hash, created_at, password_changed_at) VALUES ($1, 'other@example.test', 'x', now(), now())`, [other]);
    await db.query(`UPDATE mfa_factors SET subject_id = $2 WHERE id = $1`, [totp, other]);
    expect(await summary()).toEqual({ primary: null, secondaries: 0, failing: 0 });
    const { rows } = await db.query(`SELECT mfa_secondary_count AS n FROM customers WHERE id = $1`, [other]);
    expect(rows[0].n).toBe(1);
  });
});
