import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, ConfigError, loadConfig } from './app.config';
import { keyIdFor } from '@app/twofactor';
import { loadKeys } from './keys';

const tempDir = () => mkdtempSync(join(tmpdir(), 'twofold-keys-'));
const pem = (curve: string) =>
  generateKeyPairSync('ec', { namedCurve: curve }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
/** Everything production requires except the keys. */
const PRODUCTION = {
  NODE_ENV: 'production', DATABASE_URL: 'postgres://x', SMTP_URL: 'smtp://x', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15005550006',
  REDIS_URL: 'redis://x', PUBLIC_BASE_URL: 'https://twofold.example', METRICS_TOKEN: 'a-long-enough-metrics-token',
};
const key32 = () => randomBytes(32).toString('base64');
const config = (env: Record<string, string>): AppConfig => loadConfig({ DATA_DIR: tempDir(), ...env });

describe('loadKeys', () => {
  it('generates development keys once into DATA_DIR and reuses them', () => {
    const dataDir = tempDir();
    const first = loadKeys(loadConfig({ DATA_DIR: dataDir }));
    const file = join(dataDir, 'dev-keys.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o077).toBe(0);
    const second = loadKeys(loadConfig({ DATA_DIR: dataDir }));
    expect(second.signing.kid).toBe(first.signing.kid);
    expect(second.codeHash.currentKeyId).toBe(first.codeHash.currentKeyId);
    expect(readFileSync(file, 'utf8')).toContain('BEGIN PRIVATE KEY');
  });

  it('refuses to start in production without keys, naming each one', () => {
    const production = PRODUCTION;
    expect(() => loadKeys(config(production))).toThrow(/JWT_PRIVATE_KEY[\s\S]*FACTOR_ENCRYPTION_KEY[\s\S]*CODE_HASH_KEY/);
    expect(() => loadKeys(config({ ...production, JWT_PRIVATE_KEY: pem('prime256v1'), FACTOR_ENCRYPTION_KEY: key32(), CODE_HASH_KEY: key32() }))).not.toThrow();
  });

  it('refuses a signing key that is not P-256 and secrets that are not 32 bytes', () => {
    expect(() => loadKeys(config({ JWT_PRIVATE_KEY: pem('secp384r1'), FACTOR_ENCRYPTION_KEY: key32(), CODE_HASH_KEY: key32() }))).toThrow(/P-256/);
    expect(() => loadKeys(config({ JWT_PRIVATE_KEY: 'not a key', FACTOR_ENCRYPTION_KEY: key32(), CODE_HASH_KEY: key32() }))).toThrow(ConfigError);
    expect(() => loadKeys(config({ JWT_PRIVATE_KEY: pem('prime256v1'), FACTOR_ENCRYPTION_KEY: 'c2hvcnQ=', CODE_HASH_KEY: key32() }))).toThrow(/FACTOR_ENCRYPTION_KEY/);
  });

  it('accepts several code hash keys, each named by its own key id: the first hashes, all match', () => {
    const [current, previous] = [randomBytes(32), randomBytes(32)];
    const keys = loadKeys(config({ JWT_PRIVATE_KEY: pem('prime256v1'), FACTOR_ENCRYPTION_KEY: key32(), CODE_HASH_KEY: `${current.toString('base64')},${previous.toString('base64')}` }));
    expect(keys.codeHash.currentKeyId).toBe(keyIdFor(current));
    expect(keys.codeHash.keys[keyIdFor(previous)].equals(previous)).toBe(true);
    expect(() => loadKeys(config({ JWT_PRIVATE_KEY: pem('prime256v1'), FACTOR_ENCRYPTION_KEY: key32(), CODE_HASH_KEY: `${key32()},c2hvcnQ=` }))).toThrow(/CODE_HASH_KEY/);
  });

  it('accepts several encryption keys: the first encrypts, all can decrypt', () => {
    const [current, previous] = [randomBytes(32), randomBytes(32)];
    const keys = loadKeys(config({ JWT_PRIVATE_KEY: pem('prime256v1'), FACTOR_ENCRYPTION_KEY: `${current.toString('base64')}, ${previous.toString('base64')}`, CODE_HASH_KEY: key32() }));
    expect(Object.keys(keys.factorEncryption.keys)).toHaveLength(2);
    expect(keys.factorEncryption.keys[keys.factorEncryption.currentKeyId].equals(current)).toBe(true);
  });
});

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, DATA_DIR: './.data', MFA_SECONDARY_POLICY: 'required', TOTP_ISSUER: 'Twofold', OTP_TTL_SECONDS: 600, MFA_LOCK_THRESHOLD: 10, THROTTLE_ENABLED: true });
    expect(c.publicBaseUrl).toBe('http://localhost:3000');
    expect(c.devOutboxEnabled).toBe(true);
  });

  it('fails fast with every bad variable named', () => {
    expect(() => loadConfig({ PORT: 'eighty', MFA_SECONDARY_POLICY: 'sometimes', TWILIO_ACCOUNT_SID: 'XX1', TWILIO_AUTH_TOKEN: 't' })).toThrow(
      /PORT[\s\S]*MFA_SECONDARY_POLICY[\s\S]*TWILIO_ACCOUNT_SID: must start with AC[\s\S]*TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID/,
    );
  });

  it('parses booleans and numbers from strings', () => {
    expect(loadConfig({ THROTTLE_ENABLED: 'false', PORT: '8080' })).toMatchObject({ THROTTLE_ENABLED: false, PORT: 8080 });
  });

  it('refuses production without PostgreSQL, SMTP, Twilio, Redis, a public URL and a metrics token', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL[\s\S]*SMTP_URL[\s\S]*TWILIO[\s\S]*REDIS_URL[\s\S]*PUBLIC_BASE_URL[\s\S]*METRICS_TOKEN/,
    );
  });

  it('refuses to switch rate limits off in production, and allows it elsewhere', () => {
    const production = PRODUCTION;
    expect(() => loadConfig(production)).not.toThrow();
    expect(() => loadConfig({ ...production, THROTTLE_ENABLED: 'false' })).toThrow(/THROTTLE_ENABLED/);
    expect(() => loadConfig({ ...production, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(loadConfig({ THROTTLE_ENABLED: 'false' }).THROTTLE_ENABLED).toBe(false);
  });

  it('takes CORS_ORIGINS as exact origins only', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:5173' }).corsOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
    for (const bad of ['*', 'https://a.example/', 'https://a.example/path', 'a.example', 'ftp://a.example']) {
      expect(() => loadConfig({ CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS/);
    }
  });

  it('keeps a support reset delay of at least an hour in production; 0 (at once) elsewhere', () => {
    expect(() => loadConfig({ ...PRODUCTION, SUPPORT_RESET_DELAY_SECONDS: '600' })).toThrow(/SUPPORT_RESET_DELAY_SECONDS/);
    expect(loadConfig(PRODUCTION).SUPPORT_RESET_DELAY_SECONDS).toBe(86_400);
    expect(loadConfig({ SUPPORT_RESET_DELAY_SECONDS: '0', STALE_FACTOR_DAYS: '1' })).toMatchObject({ SUPPORT_RESET_DELAY_SECONDS: 0, STALE_FACTOR_DAYS: 1 });
    expect(() => loadConfig({ STALE_FACTOR_DAYS: '0' })).toThrow(/STALE_FACTOR_DAYS/);
  });
});
