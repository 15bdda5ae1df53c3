import { plainToInstance, Transform } from 'class-transformer';
import { PasskeysOptions, validatePasskeysOptions } from '@app/passkeys';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
const blankToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * Every setting the API reads, validated once at boot. Defaults are the contract's.
 * Anything wrong stops the process with one message naming each bad variable.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @Transform(blankToUndefined) @IsOptional() @IsString()
  DATABASE_URL?: string;

  @IsString()
  DATA_DIR = './.data';

  /**
   * The sign-in's hot statements as named prepared statements (PostgreSQL only; the embedded database never).
   * Off behind a transaction-mode pooler that cannot carry them (PgBouncer before 1.21, or without max_prepared_statements).
   */
  @Transform(toBool) @IsBoolean()
  DATABASE_PREPARED_STATEMENTS = true;

  /** Run pending migrations at start. Off where the API's database role has no DDL (migrations run as the owner). */
  @Transform(toBool) @IsBoolean()
  MIGRATE_ON_START = true;

  @Transform(blankToUndefined) @IsOptional() @IsString()
  REDIS_URL?: string;

  @Transform(blankToUndefined) @IsOptional() @IsString()
  JWT_PRIVATE_KEY?: string;

  /** The signing key of the previous rotation (public or private PEM): its tokens still verify until they expire. */
  @Transform(blankToUndefined) @IsOptional() @IsString()
  JWT_PREVIOUS_PUBLIC_KEY?: string;

  @Transform(blankToUndefined) @IsOptional() @IsString()
  FACTOR_ENCRYPTION_KEY?: string;

  @Transform(blankToUndefined) @IsOptional() @IsString()
  CODE_HASH_KEY?: string;

  @Transform(blankToUndefined) @IsOptional() @IsString()
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Twofold <no-reply@twofold.local>';

  @Transform(blankToUndefined) @IsOptional() @IsString()
  TWILIO_ACCOUNT_SID?: string;

  @Transform(blankToUndefined) @IsOptional() @IsString()
  TWILIO_AUTH_TOKEN?: string;

  @Transform(blankToUndefined) @IsOptional() @IsString()
  TWILIO_FROM?: string;

  @Transform(blankToUndefined) @IsOptional() @IsString()
  TWILIO_MESSAGING_SERVICE_SID?: string;

  @Transform(blankToUndefined) @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  TWILIO_API_BASE_URL?: string;

  @Transform(blankToUndefined) @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL?: string;

  @IsIn(['required', 'recommended'])
  MFA_SECONDARY_POLICY: 'required' | 'recommended' = 'required';

  @IsString()
  TOTP_ISSUER = 'Twofold';

  /** Passkeys: the WebAuthn relying party id, a host name; unset, the host of PUBLIC_BASE_URL. */
  @Transform(blankToUndefined) @IsOptional() @IsString()
  WEBAUTHN_RP_ID?: string;

  /** Passkeys: the origins allowed to answer, comma-separated; unset, the origin of PUBLIC_BASE_URL. */
  @Transform(blankToUndefined) @IsOptional() @IsString()
  WEBAUTHN_ORIGINS?: string;

  @IsString()
  PHONE_DEFAULT_REGION = 'GB';

  // Durations: any whole number of seconds >= 1 outside production (tests and drills use short ones);
  // production also holds them to PRODUCTION_BOUNDS below.
  @Transform(toInt) @IsInt() @Min(1)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Transform(toInt) @IsInt() @Min(1)
  SESSION_MAX_SECONDS = 12 * 3600;

  @Transform(toInt) @IsInt() @Min(1)
  SESSION_IDLE_SECONDS = 3600;

  @Transform(toInt) @IsInt() @Min(1)
  OTP_TTL_SECONDS = 600;

  /** 0: no cooldown between sends. */
  @Transform(toInt) @IsInt() @Min(0)
  OTP_RESEND_SECONDS = 30;

  @Transform(toInt) @IsInt() @Min(1) @Max(100)
  OTP_SENDS_PER_HOUR = 5;

  @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  OTP_SENDS_PER_SUBJECT_PER_HOUR = 10;

  @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  OTP_SENDS_PER_DESTINATION_PER_HOUR = 20;

  @Transform(toInt) @IsInt() @Min(1)
  MFA_TOKEN_TTL_SECONDS = 300;

  @Transform(toInt) @IsInt() @Min(1) @Max(100)
  MFA_LOCK_THRESHOLD = 10;

  @Transform(toInt) @IsInt() @Min(1)
  MFA_LOCK_SECONDS = 900;

  @Transform(toInt) @IsInt() @Min(0)
  MFA_RECENT_SECONDS = 600;

  /** How long an approved whole reset waits, so the customer can stop it; 0 runs it at approval. */
  @Transform(toInt) @IsInt() @Min(0) @Max(30 * 86_400)
  SUPPORT_RESET_DELAY_SECONDS = 86_400;

  /** A secondary unused this many days is pointed out to the customer at sign-in. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3650)
  STALE_FACTOR_DAYS = 180;

  /** How long a password reset link works. */
  @Transform(toInt) @IsInt() @Min(1)
  PASSWORD_RESET_TTL_SECONDS = 1800;

  /** How long "remember this device" skips the second factor (days). */
  @Transform(toInt) @IsInt() @Min(1)
  TRUSTED_DEVICE_DAYS = 30;

  @Transform(toInt) @IsInt() @Min(1)
  THROTTLE_LOGIN_PER_MIN = 20;

  @Transform(toInt) @IsInt() @Min(1)
  THROTTLE_MFA_PER_MIN = 30;

  @Transform(toInt) @IsInt() @Min(1)
  THROTTLE_ACCOUNT_PER_MIN = 60;

  @Transform(toBool) @IsBoolean()
  THROTTLE_ENABLED = true;

  /** BullMQ's Redis key prefix: instances that share a queue share it; each test app gets its own. */
  @IsString()
  REDIS_PREFIX = 'twofold';

  /** First pause before a provider failure is retried; each later retry waits twice as long. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  DELIVERY_RETRY_SECONDS = 5;

  /** Tries per message, the first included; then it is a dead letter (failed). */
  @Transform(toInt) @IsInt() @Min(1) @Max(50)
  DELIVERY_MAX_ATTEMPTS = 6;

  /** How long a worker may hold a message; a send that outlives it (the worker died) is never retried. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  DELIVERY_LEASE_SECONDS = 120;

  /** How often each instance looks for messages due (it is also woken when it writes one). */
  @Transform(toInt) @IsInt() @Min(1) @Max(300)
  DELIVERY_POLL_SECONDS = 1;

  /** Whether this process sends messages; off, it only writes them for other instances' workers. */
  @Transform(toBool) @IsBoolean()
  DELIVERY_WORKER = true;
  /** How often the audit sealer chains new events (and so the most an event waits to be sealed, plus one pass). */
  @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  AUDIT_SEAL_INTERVAL_SECONDS = 1;

  /** Express `trust proxy`: which proxies' X-Forwarded-For to believe for the client IP (rate limits, audit). */
  @IsString()
  TRUST_PROXY = 'loopback';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Bearer token for GET /metrics; open without it outside production. */
  @Transform(blankToUndefined) @IsOptional() @IsString() @MinLength(16)
  METRICS_TOKEN?: string;

  /** Other origins whose browser pages may call the API, comma-separated; the console and /account/ are same-origin. */
  @Transform(blankToUndefined) @IsOptional() @IsString()
  CORS_ORIGINS?: string;

  get corsOrigins(): string[] {
    return (this.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  }

  get trustProxy(): boolean | number | string {
    if (this.TRUST_PROXY === 'true' || this.TRUST_PROXY === 'false') return this.TRUST_PROXY === 'true';
    return /^\d+$/.test(this.TRUST_PROXY) ? Number(this.TRUST_PROXY) : this.TRUST_PROXY;
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  get publicBaseUrl(): string {
    return (this.PUBLIC_BASE_URL ?? `http://localhost:${this.PORT}`).replace(/\/$/, '');
  }

  get webauthnRpId(): string {
    return this.WEBAUTHN_RP_ID ?? new URL(this.publicBaseUrl).hostname;
  }

  get webauthnOrigins(): string[] {
    const listed = (this.WEBAUTHN_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
    return listed.length ? listed : [new URL(this.publicBaseUrl).origin];
  }

  /** The passkey module's options (its relying party is named like the authenticator-app issuer). */
  get passkeys(): PasskeysOptions {
    return { rpId: this.webauthnRpId, rpName: this.TOTP_ISSUER, origins: this.webauthnOrigins };
  }

  /** Real providers configured: the dev outbox is used only when neither is. */
  get smsConfigured(): boolean {
    return Boolean(this.TWILIO_ACCOUNT_SID && this.TWILIO_AUTH_TOKEN && (this.TWILIO_FROM || this.TWILIO_MESSAGING_SERVICE_SID));
  }

  /**
   * The dev outbox (codes readable without signing in at /dev/outbox) exists only outside production
   * and only while no real provider is configured at all: with SMTP or Twilio set up, codes are real.
   */
  get devOutboxEnabled(): boolean {
    return !this.isProduction && !this.SMTP_URL && !this.smsConfigured;
  }
}

export class ConfigError extends Error {}

type DurationName =
  | 'ACCESS_TOKEN_TTL_SECONDS' | 'SESSION_MAX_SECONDS' | 'SESSION_IDLE_SECONDS' | 'OTP_TTL_SECONDS' | 'OTP_RESEND_SECONDS' | 'MFA_TOKEN_TTL_SECONDS' | 'MFA_LOCK_SECONDS'
  | 'SUPPORT_RESET_DELAY_SECONDS' | 'PASSWORD_RESET_TTL_SECONDS' | 'TRUSTED_DEVICE_DAYS';

/**
 * What production holds durations to: a 4-second code or a 1-second login is a drill setting, and in
 * production it would lock people out (or, for ceilings, keep a stolen token useful for too long).
 */
const PRODUCTION_BOUNDS: Record<DurationName, [min: number, max: number]> = {
  ACCESS_TOKEN_TTL_SECONDS: [60, 86_400],
  SESSION_MAX_SECONDS: [60, 30 * 86_400],
  SESSION_IDLE_SECONDS: [60, 30 * 86_400],
  OTP_TTL_SECONDS: [30, 3600],
  OTP_RESEND_SECONDS: [0, 3600],
  MFA_TOKEN_TTL_SECONDS: [30, 3600],
  MFA_LOCK_SECONDS: [1, 86_400],
  // The delay is the customer's only chance to stop a reset talked out of the help desk.
  SUPPORT_RESET_DELAY_SECONDS: [3600, 30 * 86_400],
  // A reset link lives minutes to a day: long enough to reach the inbox, short enough that an old email is dead.
  PASSWORD_RESET_TTL_SECONDS: [300, 86_400],
  TRUSTED_DEVICE_DAYS: [1, 365],
};

function productionBoundProblems(config: AppConfig): string[] {
  return (Object.entries(PRODUCTION_BOUNDS) as [DurationName, [number, number]][]).flatMap(([name, [min, max]]) => {
    const value = config[name];
    if (typeof value !== 'number' || !Number.isInteger(value)) return [];
    if (value < min) return [`${name}: at least ${min} when NODE_ENV=production`];
    if (value > max) return [`${name}: at most ${max} when NODE_ENV=production`];
    return [];
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const picked = Object.fromEntries(Object.entries(env).filter(([key]) => known.includes(key)));
  const config = plainToInstance(AppConfig, picked);
  const problems = validateSync(config, { skipMissingProperties: false }).map(
    (error) => `${error.property}: ${Object.values(error.constraints ?? {}).join('; ')}`,
  );
  if (config.isProduction) {
    // Production never falls back to embedded storage or the dev outbox.
    if (!config.DATABASE_URL) problems.push('DATABASE_URL: required when NODE_ENV=production');
    if (!config.SMTP_URL) problems.push('SMTP_URL: required when NODE_ENV=production');
    if (!config.smsConfigured) problems.push('TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM: required when NODE_ENV=production');
    // Several instances must share one rate-limit store and one queue; in-process fallbacks would
    // multiply the guesses an attacker gets by the number of instances.
    if (!config.REDIS_URL) problems.push('REDIS_URL: required when NODE_ENV=production');
    // Links in emails and Twilio webhook signatures depend on the public origin; a guessed one breaks both.
    if (!config.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL: required when NODE_ENV=production');
    if (!config.METRICS_TOKEN) problems.push('METRICS_TOKEN: required when NODE_ENV=production (at least 16 characters)');
    if (!config.THROTTLE_ENABLED) problems.push('THROTTLE_ENABLED: rate limits cannot be switched off when NODE_ENV=production');
    problems.push(...productionBoundProblems(config));
  }
  if (config.TWILIO_ACCOUNT_SID && !config.TWILIO_ACCOUNT_SID.startsWith('AC')) {
    problems.push('TWILIO_ACCOUNT_SID: must start with AC');
  }
  if (config.TWILIO_ACCOUNT_SID && !(config.TWILIO_FROM || config.TWILIO_MESSAGING_SERVICE_SID)) {
    problems.push('TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID: one is required with TWILIO_ACCOUNT_SID');
  }
  const badOrigins = config.corsOrigins.filter((origin) => !isOrigin(origin));
  if (badOrigins.length) problems.push(`CORS_ORIGINS: not an origin like https://portal.example.com: ${badOrigins.join(', ')}`);
  problems.push(...passkeyProblems(config));
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return config;
}

// Checked here too (the module checks again at boot) so that a bad value is named by its variable.
function passkeyProblems(config: AppConfig): string[] {
  if (!URL.canParse(config.publicBaseUrl)) return [];
  try {
    validatePasskeysOptions(config.passkeys);
    return [];
  } catch (error) {
    return [`WEBAUTHN_RP_ID / WEBAUTHN_ORIGINS: ${(error as Error).message.replace(/^PasskeysModule options: /, '')}`];
  }
}

// Exactly scheme://host[:port], as browsers send it in Origin: no path, no trailing slash, no wildcard.
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}
