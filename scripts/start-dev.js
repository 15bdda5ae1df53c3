#!/usr/bin/env node
// npm start: Twofold on embedded defaults, straight from the TypeScript sources. No PostgreSQL,
// Redis, SMTP or Twilio needed: PGlite in ./.data, codes in the dev outbox. The admin console is
// built in the background the first time (and whenever its sources are newer than the build).
const { spawn } = require('node:child_process');
const { existsSync, statSync, readdirSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const adminIndex = path.join(root, 'dist', 'admin', 'index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function adminBuildIsStale() {
  if (!existsSync(adminIndex)) return true;
  return newestMtime(path.join(root, 'apps', 'admin')) > statSync(adminIndex).mtimeMs;
}

if (adminBuildIsStale()) {
  console.log('Building the admin console in the background (served at /admin when ready)…');
  const vite = spawn(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'apps/admin/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  vite.on('exit', (code) => console.log(code === 0 ? 'Admin console built: open /admin' : `Admin console build failed (exit ${code}); the API still runs.`));
}

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
