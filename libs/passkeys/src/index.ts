// The passkey module's public surface: import '@app/passkeys'. Test helpers are in '@app/passkeys/testing'.
export * from './passkeys.module';
export { PasskeysOptions, validatePasskeysOptions } from './passkeys.options';
export * from './passkey.factor';
export * from './migrations';
