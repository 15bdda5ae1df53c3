// The library's public surface: applications import '@app/twofactor', never a deep path; test doubles
// are '@app/twofactor/testing'. What is not here (SQL, the one-write sign-in, code issuing, the concrete
// factor classes) is internal and may change without notice.

// Wiring: the module, its options and their startup checks, the host's data source migrations and entities.
export * from './two-factor.module';
export * from './two-factor.options';
export { checkTwoFactorOptions } from './options-check';
export * from './migrations';
export * from './persistence/entities';
export * from './persistence/transactions';

// Factor kinds: what a factor module implements, the registry that finds them, and the built-in modules.
export * from './factors/second-factor';
export * from './factors/factor-registry';
export * from './factors/totp/totp-factor.module';
export * from './factors/sms/sms-factor.module';
export * from './factors/email/email-factor.module';
// The rows a factor kind reads and writes (its own fields: secretSealed, destination, lastUsedAt…).
export * from './persistence/factor.entity';
export type { ChallengePurpose } from './persistence/challenge.entity';

// Services an app calls, and the shapes they answer with.
export * from './factors/factor.service';
export type { FactorSummary, ChannelHealth } from './factors/factor-summary';
export * from './factors/attention';
export * from './challenges/challenge.service';
// The account's failure budget: the app's trusted-device sign-in checks the same lock.
export { Lockout } from './challenges/lockout';
export * from './recovery-codes/recovery-codes.service';
export * from './recovery-codes/recovery-code.format';
export * from './policy/factor-policy';
export * from './policy/factor-rules';
export * from './errors/two-factor.errors';

// Ports the app fills in, and guarding routes.
export * from './events/two-factor-events';
export * from './guards/principal';
export * from './guards/access-token.strategy';
export * from './guards/two-factor-auth.guard';
export * from './decorators/auth.decorators';

// Building blocks a factor kind or the app may inject: time, randomness, sealing and hashing secrets.
export * from './clock/clock';
export * from './crypto/random-source';
export * from './crypto/secret-box';
export * from './crypto/code-hasher';
// The library's tables as the app's back office, resets, purge and key rotation may read them (a read model).
export * from './persistence/factor-read-model';
// Used by the app's seeder and benchmarks to produce authenticator codes.
export * from './factors/totp/totp.algorithm';
export { maskEmail, maskPhone } from './factors/hints';

// Delivery: the outbox port and the transports that carry codes and notices.
export * from './transports/outgoing-message';
export * from './transports/sms.transport';
export * from './transports/email.transport';
export * from './transports/delivery-outbox';
export * from './transports/delivery-error';
export * from './transports/outbox/outbox';
export * from './transports/outbox/outbox.sms-transport';
export * from './transports/outbox/outbox.email-transport';
export * from './transports/twilio/twilio.sms-transport';
export * from './transports/twilio/twilio-signature';
export * from './transports/smtp/smtp.email-transport';
export * from './transports/smtp/mailer-options';

// Small helpers the app uses with the library's tables and ids (kept public deliberately).
// SqlStatement and asCtes: the events port hands the sign-in's single write its audit and outbox rows as statements.
export { returnedRows, asCtes, oneStatement, type SqlStatement } from './persistence/sql';
export * from './util/is-uuid';
