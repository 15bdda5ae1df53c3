// Counts every statement a process sends to PostgreSQL, at the driver: node-postgres' Client.query is
// what TypeORM, raw queries and the floor server all end up calling. Loaded before anything opens a pool.
import { Client } from 'pg';

let statements = 0;
const original = Client.prototype.query as (...args: unknown[]) => unknown;
(Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function countedQuery(this: Client, ...args: unknown[]) {
  statements++;
  return original.apply(this, args);
};

export function statementCount(): number {
  return statements;
}
