// The TypeORM CLI's entry (npm run migration:*): the same options the API runs with.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app.config';
import { dataSourceOptions } from './data-source-options';

const config = loadConfig();
if (!config.DATABASE_URL) {
  // The embedded database migrates itself at start (npm start); the CLI is for real PostgreSQL.
  throw new Error('Set DATABASE_URL to run migration commands (the embedded database migrates itself at start).');
}
export default new DataSource(dataSourceOptions(config));
