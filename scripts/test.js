#!/usr/bin/env node
// npm test: unit tests, then the end-to-end tests one file at a time (they start the whole API).
// --forceExit on e2e: a provider's retry timer left behind by a test must never hang CI.
// PGlite, the embedded database used when TEST_DATABASE_URL is unset, needs Node's VM modules flag under Jest.
const { spawnSync } = require('node:child_process');

const env = { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules', '--no-warnings=ExperimentalWarning'].filter(Boolean).join(' ') };
const jest = require.resolve('jest/bin/jest');
const extra = process.argv.slice(2);
if (extra.length) extra.push('--passWithNoTests');

for (const args of [['--selectProjects', 'unit'], ['--selectProjects', 'e2e', '--runInBand', '--forceExit']]) {
  const run = spawnSync(process.execPath, [jest, ...extra, ...args], { stdio: 'inherit', env });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
