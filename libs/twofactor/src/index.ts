export * from './clock/clock';
export * from './crypto/random-source';
