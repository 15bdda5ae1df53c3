// `npm run db:grant-app-role` (compiled: node dist/apps/api/apps/api/src/database/grant-app-role.js):
// as the owner role named by DATABASE_URL, after the migrations, creates or updates the role the API
// runs as (APP_DATABASE_ROLE, default twofold_app; APP_DATABASE_PASSWORD sets its password). Idempotent.
import { Client } from 'pg';
import { grantAppRole } from './app-role';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL to the owner (migration) role’s connection string.');
  const role = process.env.APP_DATABASE_ROLE || 'twofold_app';
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await grantAppRole((sql, parameters) => client.query(sql, parameters).then((result) => result.rows), { role, password: process.env.APP_DATABASE_PASSWORD || undefined });
  } finally {
    await client.end();
  }
  console.log(`Role ${role}: grants applied.`);
}

main().catch((error: unknown) => {
  // The message only: a driver error can carry the statement, and the statement can carry the password.
  console.error(error instanceof Error ? `${error.name}: ${error.message.replace(/PASSWORD '.*'/g, "PASSWORD '…'")}` : String(error));
  process.exit(1);
});
