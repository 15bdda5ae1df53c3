import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { ConfigError } from '../config/app.config';

/** Another live process (the API, or the CLI) has the embedded database open. */
export class EmbeddedDatabaseBusyError extends ConfigError {}

/**
 * PGlite is one process's private database: a second process opening the same directory would
 * corrupt it, and PGlite does not stop it. A pid file beside the data does: the second process
 * gets a clear error instead. A file left by a crashed process (its pid is gone) is taken over.
 */
export function lockEmbeddedDatabase(lockFile: string, dataDir: string): void {
  const mine = String(process.pid);
  try {
    writeFileSync(lockFile, mine, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(readFileSync(lockFile, 'utf8').trim());
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new EmbeddedDatabaseBusyError(
        `The embedded database in ${dataDir} is in use by process ${holder} (is the API running?). ` +
          'Stop it first, or run both against PostgreSQL with DATABASE_URL.',
      );
    }
    writeFileSync(lockFile, mine);
  }
  process.once('exit', () => {
    try {
      if (readFileSync(lockFile, 'utf8') === mine) unlinkSync(lockFile);
    } catch {
      // Already gone: nothing to release.
    }
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
