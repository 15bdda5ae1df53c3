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
 * Builds a web app (`admin`, the console, or `account`, the customer's pages) into dist/<name>
 * (where the API serves it from) when it is missing or older than its sources: the browser tests
 * must exercise the code in the working tree.
 */
export function buildWebAppIfStale(root: string, name: 'admin' | 'account'): void {
  // ADMIN_DIST / ACCOUNT_DIST point the API at an app built elsewhere: use it as it is.
  const prebuilt = process.env[`${name.toUpperCase()}_DIST`];
  if (prebuilt) {
    if (!existsSync(join(prebuilt, 'index.html'))) throw new Error(`${name.toUpperCase()}_DIST=${prebuilt} holds no index.html`);
    return;
  }
  const app = join(root, 'apps', name);
  const index = join(root, 'dist', name, 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json']
    .map((file) => join(app, file))
    .filter((path) => existsSync(path));
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', `apps/${name}/vite.config.ts`, '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 120_000,
  });
}

/** The console, for its browser tests. */
export const buildConsoleIfStale = (root: string): void => buildWebAppIfStale(root, 'admin');
