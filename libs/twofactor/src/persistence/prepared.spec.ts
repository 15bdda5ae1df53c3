import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { queryPrepared } from './prepared';

// Needs real PostgreSQL (TEST_DATABASE_URL, as CI sets it; a skipped test fails CI).
const SERVER = process.env.TEST_DATABASE_URL;
const describeOnPostgres = SERVER ? describe : describe.skip;

async function onServer(sql: string): Promise<void> {
  const admin = new Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(sql);
  await admin.end();
}

// The sign-in's named statements on a pool of one connection, so "the same connection" is observable:
// its backend pid, and the statements PostgreSQL holds prepared for it.
describeOnPostgres('Named prepared statements (the sign-in hot path)', () => {
  const database = `twofold_prepared_${randomBytes(6).toString('hex')}`;
  let dataSource: DataSource;
  const addOne = { sql: 'SELECT $1::int + 1 AS v', params: [1] };

  const backendPid = async (manager: EntityManager = dataSource.manager) =>
    Number((await manager.query('SELECT pg_backend_pid() AS pid'))[0].pid);
  const preparedNames = async (manager: EntityManager = dataSource.manager) =>
    ((await manager.query(`SELECT name FROM pg_prepared_statements WHERE name LIKE 'tf\\_%'`)) as { name: string }[]).map((row) => row.name);

  beforeAll(async () => {
    await onServer(`CREATE DATABASE ${database}`);
    const url = new URL(SERVER!);
    url.pathname = `/${database}`;
    dataSource = await new DataSource({ type: 'postgres', url: url.toString(), poolSize: 1 }).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });
  beforeEach(async () => {
    await dataSource.query('DEALLOCATE ALL');
    // The driver remembers what it prepared per connection: start each test on a new one.
    await dataSource.destroy();
    await dataSource.initialize();
  });

  it('prepares the statement once on the connection and answers rows', async () => {
    expect(await queryPrepared(dataSource.manager, addOne, true)).toEqual([{ v: 2 }]);
    expect(await queryPrepared(dataSource.manager, { ...addOne, params: [41] }, true)).toEqual([{ v: 42 }]);
    expect(await preparedNames()).toHaveLength(1);
  });

  it('gives the connection back to the pool after an ordinary SQL error, as TypeORM does', async () => {
    const pid = await backendPid();
    const error = await queryPrepared(dataSource.manager, { sql: 'SELECT 1 / $1::int AS v', params: [0] }, true).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '22012' });
    expect(await backendPid()).toBe(pid);
    expect(await queryPrepared(dataSource.manager, addOne, true)).toEqual([{ v: 2 }]);
  });

  it('runs a statement the server no longer holds once more, unnamed, on a fresh connection', async () => {
    await queryPrepared(dataSource.manager, addOne, true);
    const pid = await backendPid();
    // What a transaction-mode pooler does when it moves the session: the driver still thinks it is prepared.
    await dataSource.query('DEALLOCATE ALL');

    expect(await queryPrepared(dataSource.manager, addOne, true)).toEqual([{ v: 2 }]);
    expect(await backendPid()).not.toBe(pid);
  });

  it('prepares nothing when the application turned it off, or inside a transaction', async () => {
    expect(await queryPrepared(dataSource.manager, addOne, false)).toEqual([{ v: 2 }]);
    expect(await preparedNames()).toEqual([]);

    await dataSource.transaction(async (manager) => {
      expect(await queryPrepared(manager, addOne, true)).toEqual([{ v: 2 }]);
      expect(await preparedNames(manager)).toEqual([]);
    });
  });
});
