// Test doubles for hosts' and the library's specs: import '@app/twofactor/testing', never from production code.
export * from './fixed-clock';
export * from './policies';
export * from './in-memory-two-factor';
