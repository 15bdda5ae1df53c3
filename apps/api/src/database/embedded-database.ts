import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { embeddedDir } from './data-source-options';
import { lockEmbeddedDatabase } from './embedded-lock';

/**
 * The embedded PostgreSQL (PGlite) used when DATABASE_URL is unset. Opened here, from PGlite's main
 * entry, and handed to its node-postgres adapter: the adapter cannot locate PGlite's files itself
 * when loaded as CommonJS. Tests create one instance and share it.
 */
export class EmbeddedDatabase {
  constructor(readonly instance?: PGlite) {}

  static async open(dataDir: string): Promise<EmbeddedDatabase> {
    const dir = embeddedDir(dataDir);
    mkdirSync(dir, { recursive: true });
    lockEmbeddedDatabase(`${dir}.pid`, dataDir);
    return new EmbeddedDatabase(await PGlite.create(dir));
  }
}
