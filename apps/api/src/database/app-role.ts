/**
 * The database role the API runs as in production, and every privilege it gets: in one place, so a new
 * table only needs a line here when it is not ordinary read-write data.
 *
 * Migrations run as the owner role (DDL); the API connects as this role, which owns nothing. Owning
 * nothing is what forbids ALTER, DROP and `DISABLE TRIGGER` (they need ownership), so a compromised
 * API cannot switch off the audit trail's append-only trigger or rewrite the schema.
 */

/** Read and appended to, never changed: no UPDATE, DELETE or TRUNCATE, whatever the triggers say. */
export const APPEND_ONLY_TABLES = ['audit_events', 'audit_checkpoints'];

/**
 * The one change allowed on an append-only table: the audit sealer fills in an event's place in the
 * hash chain (its trigger also refuses any change but sealing an unsealed row once; docs/audit.md).
 */
export const SEALING_COLUMNS: Record<string, string[]> = { audit_events: ['prev_hash', 'hash', 'chain_pos', 'sealed_at'] };

/** Read only: the migrations ledger (the API may check it at start, never write it). */
export const READ_ONLY_TABLES = ['migrations'];

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface AppRoleOptions {
  role: string;
  /** Sets (or changes) the role's password; omitted, the role keeps the one it has (or none). */
  password?: string;
}

/**
 * Creates the role if missing and (re)applies its grants. Idempotent: run it after every migration, as
 * the owner, so new tables get their grants (`npm run db:grant-app-role`, see docs/operations.md).
 * `existingTables` filters the lists above, so a table renamed by a later migration is simply skipped.
 */
export function appRoleStatements(options: AppRoleOptions, existingTables: string[]): string[] {
  const { role, password } = options;
  if (!ROLE_NAME.test(role)) throw new Error(`invalid role name ${JSON.stringify(role)} (lowercase letters, digits, _)`);
  const present = (tables: string[]) => tables.filter((table) => existingTables.includes(table));
  return [
    // Created if missing; refused if it has powers beyond its grants or owns tables (then grants mean nothing).
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} LOGIN; END IF;
       IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}' AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb)) THEN
         RAISE EXCEPTION 'role ${role} is a superuser or may bypass RLS, create roles or databases: give the API a role of its own';
       END IF;
       IF EXISTS (SELECT FROM pg_tables WHERE schemaname = 'public' AND tableowner = '${role}') THEN
         RAISE EXCEPTION 'role ${role} owns tables: the API must not run as the migration owner';
       END IF;
     END $$`,
    `ALTER ROLE ${role} LOGIN`,
    ...(password === undefined ? [] : [`ALTER ROLE ${role} PASSWORD '${password.replace(/'/g, "''")}'`]),
    `DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${role}', current_database()); END $$`,
    `GRANT USAGE ON SCHEMA public TO ${role}`,
    // No new tables, functions or types of its own (PostgreSQL < 15 lets every role create in public).
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    `REVOKE CREATE ON SCHEMA public FROM ${role}`,
    // Start from nothing each time, so a privilege removed here is removed from the database too.
    `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
    ...present(APPEND_ONLY_TABLES).map((table) => `REVOKE UPDATE, DELETE ON ${table} FROM ${role}`),
    ...present(Object.keys(SEALING_COLUMNS)).map((table) => `GRANT UPDATE (${SEALING_COLUMNS[table].join(', ')}) ON ${table} TO ${role}`),
    ...present(READ_ONLY_TABLES).map((table) => `REVOKE INSERT, UPDATE, DELETE ON ${table} FROM ${role}`),
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${role}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
  ];
}

/** Runs the statements in one transaction with `query` (a connection of the owner role). */
export async function grantAppRole(query: (sql: string, parameters?: unknown[]) => Promise<unknown>, options: AppRoleOptions): Promise<void> {
  const rows = (await query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)) as { table_name: string }[];
  const statements = appRoleStatements(options, rows.map((row) => row.table_name));
  await query('BEGIN');
  try {
    for (const statement of statements) await query(statement);
    await query('COMMIT');
  } catch (error) {
    await query('ROLLBACK');
    throw error;
  }
}
