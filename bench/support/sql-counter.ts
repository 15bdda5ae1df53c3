// Counts every statement a process sends to PostgreSQL, at the driver: node-postgres' Client.query is
// what TypeORM, raw queries and the floor server all end up calling. Loaded before anything opens a pool.
// BENCH_SQL_TRACE=1 also tallies the statements by their opening words, to see which ones a step sends.
import { Client } from 'pg';

let statements = 0;
const traced = process.env.BENCH_SQL_TRACE ? new Map<string, number>() : null;
const original = Client.prototype.query as (...args: unknown[]) => unknown;
(Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function countedQuery(this: Client, ...args: unknown[]) {
  statements++;
  if (traced) {
    const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string } | undefined)?.text ?? '?');
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 90);
    traced.set(key, (traced.get(key) ?? 0) + 1);
  }
  return original.apply(this, args);
};

export function statementCount(): number {
  return statements;
}

/** The statements sent since the last call, by opening words (empty unless BENCH_SQL_TRACE is set). */
export function takeStatementTrace(): Record<string, number> {
  if (!traced) return {};
  const taken = Object.fromEntries(traced);
  traced.clear();
  return taken;
}
