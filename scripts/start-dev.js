#!/usr/bin/env node
// npm start: Twofold on embedded defaults, straight from the TypeScript sources. No PostgreSQL,
// Redis, SMTP or Twilio needed: PGlite in ./.data, codes in the dev outbox. The admin console and the
// customer's pages are built in the background the first time (and whenever their sources are newer).
const { spawn } = require('node:child_process');
const { existsSync, statSync, readdirSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// The web apps the API serves, each built by Vite into dist/<name>.
const webApps = [
  { name: 'admin', what: 'The admin console', path: '/admin' },
  { name: 'account', what: "The customer's pages", path: '/account' },
];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsStale(name) {
  const index = path.join(root, 'dist', name, 'index.html');
  if (!existsSync(index)) return true;
  return newestMtime(path.join(root, 'apps', name)) > statSync(index).mtimeMs;
}

// One build at a time: two Vite builds at once would crowd a small machine while the API boots.
async function buildStaleApps() {
  for (const { name, what, path: urlPath } of webApps.filter((app) => buildIsStale(app.name))) {
    console.log(`Building ${what.toLowerCase()} in the background (served at ${urlPath} when ready)…`);
    const vite = spawn(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', `apps/${name}/vite.config.ts`, '--logLevel', 'warn'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const code = await new Promise((resolve) => vite.on('exit', resolve));
    console.log(code === 0 ? `${what} built: open ${urlPath}/` : `${what} failed to build (exit ${code}); the API still runs.`);
  }
}
void buildStaleApps();

const api = spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', path.join('apps', 'api', 'src', 'main.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: {
    NODE_ENV: 'development',
    LOG_FORMAT: 'pretty',
    ...process.env,
    TS_NODE_TRANSPILE_ONLY: '1',
    TS_NODE_SWC: '1',
    TS_NODE_PROJECT: path.join(root, 'tsconfig.json'),
  },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => api.kill(signal));
api.on('exit', (code) => process.exit(code ?? 0));
