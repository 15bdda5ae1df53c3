import type { FactorPolicy } from './policy/factor-policy';
import type { Realm } from './guards/principal';
import type { SecretKeyring } from './crypto/secret-box';

/** Everything the library is configured with; the application builds it from its own config. */
export class TwoFactorOptions {
  /** Shown in authenticator apps: the otpauth label prefix and `issuer` parameter. */
  issuer: string;
  /** Which factor types each realm allows, by role; every type must be registered (checked at startup). */
  policies: Record<Realm, FactorPolicy>;
  /**
   * A realm's roles, lowest first, for `@MinRole()`: a principal passes with the named role or any later one.
   * A realm without a list passes no `@MinRole()` route.
   */
  roles?: Partial<Record<Realm, readonly string[]>>;
  encryptionKeys: { currentKeyId: string; keys: Record<string, Buffer> };
  /** One key, or a keyring (the current key hashes, every key still matches: rotation). */
  codeHashKey: Buffer | SecretKeyring;
  phoneDefaultRegion: string;
  otpTtlSeconds: number;
  otpResendSeconds: number;
  /** Codes one factor may be sent per hour. */
  otpSendsPerHour: number;
  /** Codes one destination (a number or address, across accounts) may be sent per hour. */
  otpSendsPerDestinationPerHour: number;
  /** Codes one subject may be sent per hour over all their factors, enrolments included. */
  otpSendsPerSubjectPerHour: number;
  /** Wrong tries that kill one sent code. */
  otpMaxAttempts: number;
  /** How long a pending authenticator-app enrolment may be confirmed (sent codes have otpTtlSeconds). */
  enrolmentTtlSeconds: number;
  /** Wrong confirmation codes that end one pending enrolment, over all the codes sent for it. */
  enrolmentMaxFailures: number;
  mfaTokenTtlSeconds: number;
  /** Wrong codes that kill one mfaToken. */
  mfaTokenMaxFailures: number;
  lockThreshold: number;
  lockSeconds: number;
  lockMaxSeconds: number;
  recentSecondFactorSeconds: number;
  /** A secondary unused this long is pointed out at sign-in (default 180). */
  staleFactorDays?: number;
  /**
   * Run the sign-in's read and write as named prepared statements on the driver's pool (default off).
   * Only for a PostgreSQL server reached directly or through a pooler that carries prepared statements;
   * never for a single-session embedded database, whose one session outlives the pool's connections.
   */
  preparedStatements?: boolean;
}
