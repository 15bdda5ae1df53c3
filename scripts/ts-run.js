#!/usr/bin/env node
// Runs a TypeScript entry point without a build: `node scripts/ts-run.js <file.ts> [args…]`.
// ts-node transpiles only (type-checking is `npm run check`), tsconfig-paths resolves @app/*.
const path = require('node:path');

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/ts-run.js <file.ts> [args…]');
  process.exit(2);
}
process.env.TS_NODE_PROJECT ??= path.resolve(__dirname, '..', 'tsconfig.json');
require('ts-node').register({ transpileOnly: true, project: process.env.TS_NODE_PROJECT });
require('tsconfig-paths/register');

const entry = path.resolve(file);
// The entry sees the argv it would have had if run directly: [node, entry, …args].
process.argv = [process.argv[0], entry, ...args];
require(entry);
