// The TypeORM CLI's entry (npm run migration:*): the same options the API runs with.
// It reads DATABASE_URL only: migrations run as the owner role, from a job (docker-compose's `migrate`)
// that has no business holding the API's mail, SMS or key settings, which production would demand.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

const url = process.env.DATABASE_URL;
if (!url) {
  // The embedded database migrates itself at start (npm start); the CLI is for real PostgreSQL.
  throw new Error('Set DATABASE_URL to run migration commands (the embedded database migrates itself at start).');
}
export default new DataSource(dataSourceOptions({ DATABASE_URL: url, DATA_DIR: process.env.DATA_DIR ?? './.data' }));
