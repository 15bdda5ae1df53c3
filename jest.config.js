// Jest cannot require() the ESM-only Nest 12 packages on Node 20, so @swc/jest transforms them too.
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
}];
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['node_modules/(?!(@nestjs|@noble|@scure|otplib|@otplib|jose)/)'],
  moduleNameMapper: {
    '^@app/twofactor$': '<rootDir>/libs/twofactor/src',
    '^@app/twofactor/testing$': '<rootDir>/libs/twofactor/src/testing',
    '^@app/passkeys$': '<rootDir>/libs/passkeys/src',
    '^@app/passkeys/testing$': '<rootDir>/libs/passkeys/src/testing',
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
module.exports = {
  // The end-to-end tests boot the whole API; a single journey can take several seconds on 2 cores.
  testTimeout: 30000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps/api/src,libs,scripts}/**/*.spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/apps/api/test/**/*.e2e-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
