import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { returnedRows, SqlStatement } from './sql';

/** What this needs of node-postgres' Pool (TypeORM's PostgreSQL driver keeps one as `master`). */
interface NamedQueryPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

// The hot path's statements are a handful of texts built from fixed parts; this many distinct ones means
// something builds SQL from data, and it then runs unnamed rather than filling every connection's cache.
const MAX_NAMED = 64;
const names = new Map<string, string>();

/** A name per text: a digest, so one name never means two texts on a connection that has parsed it. */
function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `tf_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs one statement of the sign-in's hot path as a named prepared statement: PostgreSQL parses and
 * plans it once per connection, not on every request, and the client sends its text only once. Only
 * outside a transaction (a transaction's statements must go to its own connection, which the
 * EntityManager holds): there it takes any pooled connection, as TypeORM's own query() would. Rows come
 * back as query() gives a SELECT's (for an UPDATE … RETURNING too); errors are the driver's, unwrapped.
 */
export async function queryPrepared<T>(manager: EntityManager, statement: SqlStatement): Promise<T[]> {
  const pool = (manager.connection.driver as { master?: Partial<NamedQueryPool> }).master;
  const name = nameOf(statement.sql);
  if (manager.queryRunner || typeof pool?.query !== 'function' || name === undefined) {
    return returnedRows<T>(await manager.query(statement.sql, statement.params));
  }
  const result = await (pool as NamedQueryPool).query({ name, text: statement.sql, values: statement.params });
  return result.rows as T[];
}
