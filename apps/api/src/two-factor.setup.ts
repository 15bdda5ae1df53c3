import { Module } from '@nestjs/common';
import { PASSKEY_TYPE } from '@app/passkeys';
import { FactorPolicy, TwoFactorOptions } from '@app/twofactor';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app.config';
import { AppKeys } from './config/keys';
import { STAFF_ROLE_NAMES } from './staff/staff.entity';

/**
 * The ports the twofactor library needs, filled in by this application: TwoFactorEvents (the auth
 * module's sink). Access tokens reach the library's guard through the Passport strategies the auth and
 * staff modules register (accessTokenStrategy(realm)), not through a port.
 */
@Module({
  imports: [AuthModule],
  exports: [AuthModule],
})
export class TwoFactorPortsModule {}

// Email is never a primary (its factor says so, and the library refuses a policy that tries): a mailbox
// is usually reachable with the same password reset the attacker may already control.
export const CUSTOMER_POLICY: FactorPolicy = Object.freeze({
  primaryTypes: Object.freeze(['totp', 'sms', PASSKEY_TYPE]),
  secondaryTypes: Object.freeze(['totp', 'sms', 'email', PASSKEY_TYPE]),
  secondaryRequired: true,
  recoveryCodeCount: 10,
});

// Staff use an authenticator app or a passkey: SMS and email are too easy to intercept or socially
// engineer for accounts that can reset customers' factors. Either may be the primary and the other a
// secondary (none is required): that is how a passkey joins after the first TOTP enrolment and is then
// made primary (a role swap needs the old primary to be allowed as a secondary).
export const STAFF_POLICY: FactorPolicy = Object.freeze({
  primaryTypes: Object.freeze(['totp', PASSKEY_TYPE]),
  secondaryTypes: Object.freeze(['totp', PASSKEY_TYPE]),
  secondaryRequired: false,
  recoveryCodeCount: 10,
});

/** A pending authenticator-app enrolment can be confirmed for 10 minutes; the purge then deletes it. */
export const ENROLMENT_TTL_SECONDS = 600;

export function twoFactorOptions(config: AppConfig, keys: AppKeys): TwoFactorOptions {
  return {
    issuer: config.TOTP_ISSUER,
    policies: {
      customer: { ...CUSTOMER_POLICY, secondaryRequired: config.MFA_SECONDARY_POLICY === 'required' },
      staff: STAFF_POLICY,
    },
    // Lowest first, for @MinRole(): a supervisor passes an agent's routes.
    roles: { staff: STAFF_ROLE_NAMES },
    encryptionKeys: keys.factorEncryption,
    codeHashKey: keys.codeHash,
    phoneDefaultRegion: config.PHONE_DEFAULT_REGION,
    otpTtlSeconds: config.OTP_TTL_SECONDS,
    otpResendSeconds: config.OTP_RESEND_SECONDS,
    otpSendsPerHour: config.OTP_SENDS_PER_HOUR,
    otpSendsPerSubjectPerHour: config.OTP_SENDS_PER_SUBJECT_PER_HOUR,
    otpSendsPerDestinationPerHour: config.OTP_SENDS_PER_DESTINATION_PER_HOUR,
    otpMaxAttempts: 5,
    enrolmentTtlSeconds: ENROLMENT_TTL_SECONDS,
    // Two codes' worth: a customer who mistypes one code may ask for another, but guessing stays bounded.
    enrolmentMaxFailures: 10,
    mfaTokenTtlSeconds: config.MFA_TOKEN_TTL_SECONDS,
    mfaTokenMaxFailures: 5,
    lockThreshold: config.MFA_LOCK_THRESHOLD,
    lockSeconds: config.MFA_LOCK_SECONDS,
    lockMaxSeconds: 24 * 3600,
    recentSecondFactorSeconds: config.MFA_RECENT_SECONDS,
    staleFactorDays: config.STALE_FACTOR_DAYS,
    // PGlite is one session under a pool of one: statements it prepared outlive the pool's connections.
    preparedStatements: Boolean(config.DATABASE_URL) && config.DATABASE_PREPARED_STATEMENTS,
  };
}
