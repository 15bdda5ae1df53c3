/** TypeORM answers UPDATE … RETURNING on PostgreSQL with [rows, affected]; plain SELECTs with rows. */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}

/** One statement and its parameters, `$1`… numbered on its own. */
export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/**
 * Data-modifying statements (single INSERTs or UPDATEs, no WITH of their own) as CTEs of another
 * statement, named `<prefix>0`, `<prefix>1`…: their placeholders move past the `taken` parameters the
 * host statement already uses, so several writes cost one round trip and commit or fail together.
 */
export function asCtes(statements: SqlStatement[], taken: number, prefix: string): { ctes: string[]; params: unknown[] } {
  const ctes: string[] = [];
  const params: unknown[] = [];
  for (const [index, statement] of statements.entries()) {
    const offset = taken + params.length;
    ctes.push(`${prefix}${index} AS (${statement.sql.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`)})`);
    params.push(...statement.params);
  }
  return { ctes, params };
}

/** Independent single writes as one statement (`WITH w0 AS (…), w1 AS (…) SELECT 1`): one round trip, all or nothing. */
export function oneStatement(statements: SqlStatement[]): SqlStatement {
  const { ctes, params } = asCtes(statements, 0, 'w');
  return { sql: `WITH ${ctes.join(', ')} SELECT 1`, params };
}
