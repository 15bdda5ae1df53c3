import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time under `path` (a file or a folder, recursively). */
function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Builds the console into dist/admin (where the API serves it from) when it is missing or older
 * than its sources: the browser tests must exercise the code in the working tree.
 */
export function buildConsoleIfStale(root: string): void {
  // ADMIN_DIST points the API at a console built elsewhere: use it as it is.
  if (process.env.ADMIN_DIST) {
    if (!existsSync(join(process.env.ADMIN_DIST, 'index.html'))) throw new Error(`ADMIN_DIST=${process.env.ADMIN_DIST} holds no index.html`);
    return;
  }
  const admin = join(root, 'apps', 'admin');
  const index = join(root, 'dist', 'admin', 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json']
    .map((name) => join(admin, name))
    .filter((path) => existsSync(path));
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'apps/admin/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 120_000,
  });
}
