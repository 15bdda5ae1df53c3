import { Module } from '@nestjs/common';
import { PASSKEY_TYPE } from '@app/passkeys';
import { CUSTOMER_POLICY, PrincipalResolver, STAFF_POLICY, TwoFactorEvents, TwoFactorOptions } from '@app/twofactor';
import { AuditSealer } from './audit/audit-sealer';
import { AuditService } from './audit/audit.service';
import { SessionService } from './auth/session.service';
import { TokenPrincipalResolver } from './auth/token-principal.resolver';
import { TokenService } from './auth/token.service';
import { AppConfig } from './config/app.config';
import { AppKeys } from './config/keys';
import { TrustedDevices } from './devices/trusted-devices.service';
import { NoticeMailer } from './notifications/notice-mailer';
import { SubjectEmails } from './notifications/subject-emails';
import { TwoFactorEventsSink } from './notifications/two-factor-events.sink';

/** The ports the twofactor library needs, filled in by this application. */
@Module({
  providers: [
    AuditService, AuditSealer, SubjectEmails, NoticeMailer, TokenService, SessionService, TrustedDevices,
    { provide: TwoFactorEvents, useClass: TwoFactorEventsSink },
    { provide: PrincipalResolver, useClass: TokenPrincipalResolver },
  ],
  exports: [TwoFactorEvents, PrincipalResolver, AuditService, SubjectEmails, NoticeMailer, TokenService, SessionService, TrustedDevices],
})
export class TwoFactorPortsModule {}

/** A pending authenticator-app enrolment can be confirmed for 10 minutes; the purge then deletes it. */
export const ENROLMENT_TTL_SECONDS = 600;

export function twoFactorOptions(config: AppConfig, keys: AppKeys): TwoFactorOptions {
  return {
    issuer: config.TOTP_ISSUER,
    policies: {
      customer: {
        ...CUSTOMER_POLICY,
        primaryTypes: [...CUSTOMER_POLICY.primaryTypes, PASSKEY_TYPE],
        secondaryTypes: [...CUSTOMER_POLICY.secondaryTypes, PASSKEY_TYPE],
        secondaryRequired: config.MFA_SECONDARY_POLICY === 'required',
      },
      // A passkey is phishing-resistant, so it may stand in for the authenticator app as staff's primary. Staff
      // may keep the other as a secondary (none required): that is how a passkey joins after the first
      // TOTP enrolment and is then made primary (a role swap needs the old primary allowed as secondary).
      staff: { ...STAFF_POLICY, primaryTypes: [...STAFF_POLICY.primaryTypes, PASSKEY_TYPE], secondaryTypes: ['totp', PASSKEY_TYPE] },
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
