import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AuditService } from '../src/audit/audit.service';
import { grantAppRole } from '../src/database/app-role';
import { dataSourceOptions } from '../src/database/data-source-options';
import { enrolledCustomer, signInWithTotp } from './support/journeys';
import { describeOnPostgres } from './support/on-postgres';
import { startTestApp, TestContext } from './support/test-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

/**
 * Production runs the API as a role without DDL (docs/operations.md): migrations as the owner, then
 * `db:grant-app-role`. Here the API runs as that role on real PostgreSQL and signs a customer in, and the
 * same role is shown unable to rewrite or erase the audit trail or change the schema.
 */
describeOnPostgres('The API database role (no DDL, append-only audit)', () => {
  const role = `twofold_app_${randomBytes(4).toString('hex')}`;
  let database: TestDatabase;
  let ctx: TestContext;
  let asApp: Client;

  const urlAs = (user: string) => {
    const url = new URL(database.url!);
    url.username = user;
    return url.toString();
  };
  const ownerQuery = async (work: (query: (sql: string, parameters?: unknown[]) => Promise<unknown>) => Promise<void>) => {
    const owner = new Client({ connectionString: database.url });
    await owner.connect();
    try {
      await work((sql, parameters) => owner.query(sql, parameters).then((result) => result.rows));
    } finally {
      await owner.end();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    // As the owner: migrations, then the app role's grants — twice, to show the script is idempotent.
    const owner = new DataSource(dataSourceOptions({ DATABASE_URL: database.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'twofold-roles-')) }));
    await owner.initialize();
    await owner.runMigrations({ transaction: 'each' });
    await owner.destroy();
    await ownerQuery((query) => grantAppRole(query, { role, password: 'app role password' }));
    await ownerQuery((query) => grantAppRole(query, { role }));
    ctx = await startTestApp({ DATABASE_URL: urlAs(role), MIGRATE_ON_START: 'false' });
    asApp = new Client({ connectionString: urlAs(role) });
    await asApp.connect();
  }, 120_000);

  afterAll(async () => {
    await asApp?.end();
    await ctx?.close();
    await database?.drop();
    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  it('runs the API: a customer enrols and signs in, and it is audited', async () => {
    const customer = await enrolledCustomer(ctx);
    const session = await signInWithTotp(ctx, customer);
    expect(session.scope).toBe('session');
    const { rows } = await asApp.query(`SELECT count(*)::int AS n FROM audit_events`);
    expect(rows[0].n).toBeGreaterThan(0);
    const { rows: who } = await asApp.query(`SELECT current_user AS name`);
    expect(who[0].name).toBe(role);
  });

  it.each([
    ['UPDATE audit_events', `UPDATE audit_events SET reason = 'rewritten'`, /permission denied for table audit_events/],
    ['DELETE audit_events', `DELETE FROM audit_events`, /permission denied for table audit_events/],
    ['TRUNCATE audit_events', `TRUNCATE audit_events`, /permission denied for table audit_events/],
    ['DISABLE its trigger', `ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`, /must be owner of table audit_events/],
    ['DROP TRIGGER', `DROP TRIGGER audit_events_no_update_delete ON audit_events`, /must be owner of (table|relation) audit_events/],
    ['DROP TABLE', `DROP TABLE customers`, /must be owner of table customers/],
    ['ALTER TABLE', `ALTER TABLE customers ADD COLUMN x int`, /must be owner of table customers/],
    ['CREATE TABLE', `CREATE TABLE stash (x int)`, /permission denied for schema public/],
    ['write the migrations ledger', `DELETE FROM migrations`, /permission denied for table migrations/],
  ])('cannot %s', async (_what, sql, refusal) => {
    await expect(asApp.query(sql)).rejects.toThrow(refusal);
  });

  it('seals the audit chain as this role, but can neither reseal an event nor touch a checkpoint', async () => {
    const report = await ctx.app.get(AuditService).verifyChain();
    expect(report).toMatchObject({ valid: true, problem: null, pending: 0 });
    expect(report.checkpoint).not.toBeNull();
    await expect(asApp.query(`UPDATE audit_events SET hash = repeat('f', 64)`)).rejects.toThrow(/append-only/);
    await expect(asApp.query(`UPDATE audit_checkpoints SET head_hash = repeat('f', 64)`)).rejects.toThrow(/permission denied for table audit_checkpoints/);
    await expect(asApp.query(`DELETE FROM audit_checkpoints`)).rejects.toThrow(/permission denied for table audit_checkpoints/);
  });

  it('refuses to grant to a role that owns the tables or is a superuser', async () => {
    const { rows } = await asApp.query(`SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'customers'`);
    await ownerQuery(async (query) => {
      await expect(grantAppRole(query, { role: rows[0].owner })).rejects.toThrow(/superuser|owns tables/);
      await expect(grantAppRole(query, { role: 'bad-name; DROP TABLE customers' })).rejects.toThrow(/invalid role name/);
    });
  });
});
