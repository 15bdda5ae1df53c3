// Loads the TypeScript sources for the benchmarked servers with swc (as Jest does) instead of ts-node:
// ts-node keeps the TypeScript compiler in memory, which would inflate the API's measured RSS by ~100 MB.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..', '..');
const options = {
  jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
  module: { type: 'commonjs' },
  // No inline source maps: they are kept with each module's source in the heap and would inflate RSS.
  sourceMaps: false,
};
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
// The @app/* libraries, as tsconfig's paths say.
const ALIASES = {
  '@app/twofactor': 'libs/twofactor/src/index.ts',
  '@app/twofactor/testing': 'libs/twofactor/src/testing/index.ts',
  '@app/passkeys': 'libs/passkeys/src/index.ts',
  '@app/passkeys/testing': 'libs/passkeys/src/testing/index.ts',
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  if (Object.hasOwn(ALIASES, request)) request = path.join(root, ALIASES[request]);
  return resolve.call(this, request, ...rest);
};
