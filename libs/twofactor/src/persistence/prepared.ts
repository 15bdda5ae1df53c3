import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { returnedRows, SqlStatement } from './sql';

/** What this needs of node-postgres' Pool (TypeORM's PostgreSQL driver keeps one as `master`) and its clients. */
interface NamedQueryClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
  /** With an error: the connection is closed rather than pooled again. */
  release(error?: Error): void;
}
interface NamedQueryPool {
  connect(): Promise<NamedQueryClient>;
}

// The hot path's statements are a handful of texts built from fixed parts; this many distinct ones means
// something builds SQL from data, and it then runs unnamed rather than filling every connection's cache.
const MAX_NAMED = 64;
const names = new Map<string, string>();

// The server no longer matches what this connection prepared (a pooler moved the session, a migration
// changed a result type under a running instance). Raised before the statement did anything: the
// connection is dropped and the statement runs once more, unnamed.
const STALE_PREPARED = new Set(['26000', '42P05', '0A000']);

/** A name per text: a digest, so one name never means two texts on a connection that has parsed it. */
function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `tf_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
    names.set(text, name);
  }
  return name;
}

/** An error PostgreSQL answered with (it has a severity): the connection itself is still good. */
function serverError(error: unknown): error is Error & { code?: string } {
  return error instanceof Error && typeof (error as { severity?: unknown }).severity === 'string';
}

/**
 * Runs one statement of the sign-in's hot path as a named prepared statement when `enabled` (the
 * application's choice: a PostgreSQL server, not a single-session embedded database or a pooler that
 * cannot carry prepared statements): PostgreSQL parses and plans it once per connection, not on every
 * request, and the client sends its text only once. Only outside a transaction (a transaction's
 * statements must go to its own connection, which the EntityManager holds): there it takes any pooled
 * connection, as TypeORM's own query() would, and gives it back. Rows come back as query() gives a
 * SELECT's (for an UPDATE … RETURNING too); errors are the driver's, unwrapped.
 */
export async function queryPrepared<T>(manager: EntityManager, statement: SqlStatement, enabled: boolean): Promise<T[]> {
  const pool = (manager.dataSource.driver as { master?: Partial<NamedQueryPool> }).master;
  const name = enabled ? nameOf(statement.sql) : undefined;
  if (manager.queryRunner || typeof pool?.connect !== 'function' || name === undefined) return unnamed<T>(manager, statement);
  const client = await (pool as NamedQueryPool).connect();
  try {
    const result = await client.query({ name, text: statement.sql, values: statement.params });
    client.release();
    return result.rows as T[];
  } catch (error) {
    // An ordinary SQL error (the sign-in's deliberate NOTHING_SPENT among them) leaves the connection
    // as good as before: back to the pool, like TypeORM does. Anything else may have broken it.
    const stale = serverError(error) && STALE_PREPARED.has(error.code ?? '');
    client.release(serverError(error) && !stale ? undefined : (error as Error));
    if (stale) return unnamed<T>(manager, statement);
    throw error;
  }
}

async function unnamed<T>(manager: EntityManager, statement: SqlStatement): Promise<T[]> {
  return returnedRows<T>(await manager.query(statement.sql, statement.params));
}
