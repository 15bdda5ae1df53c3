import { Module } from '@nestjs/common';
import { CUSTOMER_POLICY, STAFF_POLICY, TwoFactorEvents, TwoFactorOptions } from '@app/twofactor';
import { AuditSealer } from './audit/audit-sealer';
import { AuditService } from './audit/audit.service';
import { SessionService } from './auth/session.service';
import { CustomerTokenStrategy } from './auth/customer-token.strategy';
import { TokenPrincipals } from './auth/token-principals';
import { TokenService } from './auth/token.service';
import { AppConfig } from './config/app.config';
import { AppKeys } from './config/keys';
import { TrustedDevices } from './devices/trusted-devices.service';
import { NoticeMailer } from './notifications/notice-mailer';
import { SubjectEmails } from './notifications/subject-emails';
import { TwoFactorEventsSink } from './auth/two-factor-events.sink';

/** The ports the twofactor library needs, filled in by this application. */
@Module({
  providers: [
    AuditService, AuditSealer, SubjectEmails, NoticeMailer, TokenService, SessionService, TrustedDevices,
    { provide: TwoFactorEvents, useClass: TwoFactorEventsSink },
    TokenPrincipals, CustomerTokenStrategy,
  ],
  exports: [TwoFactorEvents, TokenPrincipals, AuditService, SubjectEmails, NoticeMailer, TokenService, SessionService, TrustedDevices],
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
