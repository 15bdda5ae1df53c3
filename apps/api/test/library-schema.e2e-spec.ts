import { TWO_FACTOR_ENTITIES, TWO_FACTOR_MIGRATIONS } from '@app/twofactor';
import { DataSource, getMetadataArgsStorage } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { createTestDatabase, TestDatabase } from './support/test-database';

/**
 * The library ships a baseline of its tables for other host apps; Twofold's own (landed) migrations
 * made the same tables first. This keeps the two from drifting apart: same columns, indexes and checks.
 */
const LIBRARY_TABLES = TWO_FACTOR_ENTITIES.map((entity) => getMetadataArgsStorage().tables.find((table) => table.target === entity)!.name!).sort();

interface Shape {
  columns: unknown[];
  indexes: unknown[];
  checks: unknown[];
}

async function shapeOf(db: DataSource): Promise<Shape> {
  const tables = [LIBRARY_TABLES];
  return {
    columns: await db.query(
      `SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY table_name, column_name`,
      tables,
    ),
    indexes: await db.query(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY($1) ORDER BY indexname`, tables),
    checks: await db.query(
      `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint
       WHERE contype IN ('c', 'u', 'p') AND conrelid::regclass::text = ANY($1) ORDER BY conname`,
      tables,
    ),
  };
}

async function migrated(database: TestDatabase, migrations: DataSource['options']['migrations']): Promise<DataSource> {
  const options = database.url
    ? dataSourceOptions({ DATABASE_URL: database.url, DATA_DIR: '' })
    : dataSourceOptions({ DATA_DIR: '' }, database.embedded);
  const db = new DataSource({ ...options, migrations } as never);
  await db.initialize();
  await db.runMigrations();
  return db;
}

describe('The library migrations', () => {
  const opened: { database: TestDatabase; db?: DataSource }[] = [];
  afterAll(async () => {
    for (const { database, db } of opened) {
      await db?.destroy();
      await database.drop();
    }
  });

  async function open(migrations?: DataSource['options']['migrations']): Promise<DataSource> {
    const database = await createTestDatabase();
    const entry: { database: TestDatabase; db?: DataSource } = { database };
    opened.push(entry);
    entry.db = await migrated(database, migrations ?? dataSourceOptions({ DATABASE_URL: 'postgres://unused', DATA_DIR: '' }).migrations);
    return entry.db;
  }

  it('make alone the same library tables as the app migrations, and undo only what they made', async () => {
    const app = await open();
    const libraryOnly = await open(TWO_FACTOR_MIGRATIONS);
    const appShape = await shapeOf(app);
    expect(appShape.columns.length).toBeGreaterThan(40);
    expect(appShape.indexes.length).toBeGreaterThan(10);
    expect(await shapeOf(libraryOnly)).toEqual(appShape);
    // No list of factor types left in the database; the email-never-primary invariant stays.
    expect(JSON.stringify(appShape.checks)).not.toContain('mfa_factors_type_check');
    expect(JSON.stringify(appShape.checks)).toContain('mfa_factors_email_never_primary');

    // Reverting the baseline in Twofold keeps the tables the app's own migrations made (TypeORM runs and
    // undoes migrations in timestamp order, so later ones of the app and the passkey module go first)…
    const baselineApplied = async () =>
      (await app.query(`SELECT count(*)::int AS n FROM migrations WHERE name = 'TwoFactorBaseline1764500700000'`))[0].n > 0;
    expect(await baselineApplied()).toBe(true);
    while (await baselineApplied()) await app.undoLastMigration();
    expect(await app.query(`SELECT to_regclass('mfa_factors') IS NOT NULL AS present`)).toEqual([{ present: true }]);
    // …and in a host where the baseline made them, takes them away.
    await libraryOnly.undoLastMigration();
    await libraryOnly.undoLastMigration();
    expect(await libraryOnly.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = ANY($1)`, [LIBRARY_TABLES])).toEqual([{ n: 0 }]);
  });
});
