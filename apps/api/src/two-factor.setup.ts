import { Module } from '@nestjs/common';
import { CUSTOMER_POLICY, STAFF_POLICY, TwoFactorOptions } from '@app/twofactor';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app.config';
import { AppKeys } from './config/keys';

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

/** A pending authenticator-app enrolment can be confirmed for 10 minutes; the purge then deletes it. */
export const ENROLMENT_TTL_SECONDS = 600;

export function twoFactorOptions(config: AppConfig, keys: AppKeys): TwoFactorOptions {
  return {
    issuer: config.TOTP_ISSUER,
    policies: {
      customer: { ...CUSTOMER_POLICY, secondaryRequired: config.MFA_SECONDARY_POLICY === 'required' },
      staff: STAFF_POLICY,
    },
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
  };
}
