import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';

/**
 * A fresh, empty database for one test file: a new database on the PostgreSQL server named by
 * TEST_DATABASE_URL (CI, and anyone with PostgreSQL), or an in-memory embedded one otherwise.
 */
export interface TestDatabase {
  url?: string;
  embedded?: PGlite;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) {
    const embedded = await PGlite.create();
    return { embedded, drop: () => embedded.close() };
  }
  const name = `twofold_e2e_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
