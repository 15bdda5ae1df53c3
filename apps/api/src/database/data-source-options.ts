import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { DataSourceOptions } from 'typeorm';
import { PASSKEY_MIGRATIONS } from '@app/passkeys';
import { TWO_FACTOR_MIGRATIONS } from '@app/twofactor';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseSettings {
  DATABASE_URL?: string;
  DATA_DIR: string;
}

/**
 * PostgreSQL when DATABASE_URL is set; otherwise embedded PostgreSQL (PGlite) persisted in DATA_DIR.
 * Both run the same migrations. PGlite is a single session, hence poolSize 1 — and code inside a
 * transaction must use that transaction's EntityManager (the TransactionHost's `tx`), or it waits for the one connection forever.
 */
export function dataSourceOptions(settings: DatabaseSettings, embedded?: PGlite): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    // TypeORM runs these in timestamp order, whichever list holds them: the library's baseline (a no-op here:
    // the app's own migrations made its tables) after the app's first ones, the passkey module's after it.
    migrations: [...MIGRATIONS, ...TWO_FACTOR_MIGRATIONS, ...PASSKEY_MIGRATIONS],
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  if (settings.DATABASE_URL) return { ...common, url: settings.DATABASE_URL, poolSize: 10 };
  if (!embedded) throw new Error('DATABASE_URL is unset and no embedded database was opened');
  return { ...common, poolSize: 1, installExtensions: false, extra: createPgConfig(embedded) } as DataSourceOptions;
}

export function embeddedDir(dataDir: string): string {
  return join(resolve(dataDir), 'pglite');
}
