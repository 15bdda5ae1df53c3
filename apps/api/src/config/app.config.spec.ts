import { ConfigError, loadConfig } from './app.config';

const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db/twofold',
  SMTP_URL: 'smtp://mail:25',
  TWILIO_ACCOUNT_SID: 'AC123',
  TWILIO_AUTH_TOKEN: 'token',
  TWILIO_FROM: '+15005550006',
  REDIS_URL: 'redis://cache:6379',
  PUBLIC_BASE_URL: 'https://twofold.example.com',
  METRICS_TOKEN: 'a-metrics-token-of-32-characters',
};

const DURATIONS = [
  'ACCESS_TOKEN_TTL_SECONDS', 'SESSION_MAX_SECONDS', 'SESSION_IDLE_SECONDS', 'OTP_TTL_SECONDS', 'OTP_RESEND_SECONDS',
  'MFA_TOKEN_TTL_SECONDS', 'MFA_LOCK_SECONDS', 'MFA_RECENT_SECONDS', 'PASSWORD_RESET_TTL_SECONDS', 'TRUSTED_DEVICE_DAYS',
];

describe('AppConfig durations', () => {
  it.each(DURATIONS)('accepts %s=1 (and =4) outside production', (name) => {
    expect(loadConfig({ [name]: '1' })).toMatchObject({ [name]: 1 });
    expect(loadConfig({ NODE_ENV: 'test', [name]: '4' })).toMatchObject({ [name]: 4 });
  });

  it.each(DURATIONS.filter((name) => !['OTP_RESEND_SECONDS', 'MFA_RECENT_SECONDS'].includes(name)))('refuses %s=0 and a fraction everywhere', (name) => {
    expect(() => loadConfig({ [name]: '0' })).toThrow(new RegExp(name));
    expect(() => loadConfig({ [name]: '1.5' })).toThrow(new RegExp(name));
  });

  it('keeps floors in production and names the variable that is wrong', () => {
    expect(() => loadConfig({ ...PRODUCTION, OTP_TTL_SECONDS: '4' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...PRODUCTION, OTP_TTL_SECONDS: '4' })).toThrow(/OTP_TTL_SECONDS: at least 30 when NODE_ENV=production/);
    expect(() => loadConfig({ ...PRODUCTION, OTP_TTL_SECONDS: '4' })).not.toThrow(/SESSION_MAX_SECONDS/);
    expect(() => loadConfig({ ...PRODUCTION })).not.toThrow();
    expect(() => loadConfig({ ...PRODUCTION, PASSWORD_RESET_TTL_SECONDS: '60' })).toThrow(/PASSWORD_RESET_TTL_SECONDS: at least 300/);
    expect(() => loadConfig({ ...PRODUCTION, PASSWORD_RESET_TTL_SECONDS: '604800' })).toThrow(/PASSWORD_RESET_TTL_SECONDS: at most 86400/);
    expect(() => loadConfig({ ...PRODUCTION, TRUSTED_DEVICE_DAYS: '400' })).toThrow(/TRUSTED_DEVICE_DAYS: at most 365/);
  });
});

describe('AppConfig passkeys (WebAuthn relying party)', () => {
  it('defaults to the host and origin of PUBLIC_BASE_URL, named like the authenticator-app issuer', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://twofold.example.com/', TOTP_ISSUER: 'Acme Health' }).passkeys).toEqual({
      rpId: 'twofold.example.com', rpName: 'Acme Health', origins: ['https://twofold.example.com'],
    });
    expect(loadConfig({ PORT: '4000' }).passkeys).toMatchObject({ rpId: 'localhost', origins: ['http://localhost:4000'] });
  });

  it('takes an RP id and a comma-separated list of origins under it', () => {
    const config = loadConfig({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://app.example.com, https://example.com' });
    expect(config.passkeys).toMatchObject({ rpId: 'example.com', origins: ['https://app.example.com', 'https://example.com'] });
  });

  it('refuses at boot, naming the variables, an origin that is not on the RP id', () => {
    expect(() => loadConfig({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://example.org' })).toThrow(/WEBAUTHN_RP_ID \/ WEBAUTHN_ORIGINS: origin "https:\/\/example.org" is not on the RP id/);
    expect(() => loadConfig({ WEBAUTHN_ORIGINS: 'https://app.example.com/login' })).toThrow(/WEBAUTHN_ORIGINS/);
  });
});
