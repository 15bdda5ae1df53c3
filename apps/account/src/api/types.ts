import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '../passkeys/passkey-prompt';

/** The shapes of the HTTP contract the pages use (see /docs-json). */

export type FactorType = 'totp' | 'sms' | 'email' | 'passkey';
export type FactorRole = 'primary' | 'secondary';

export interface FactorSummary {
  id: string;
  type: FactorType | string;
  role: FactorRole;
  status: 'pending' | 'active';
  hint: string;
  createdAt: string;
  verifiedAt: string | null;
  lastUsedAt: string | null;
}

export interface FactorPolicy {
  primaryTypes: string[];
  secondaryTypes: string[];
  secondaryRequired: boolean;
  recoveryCodeCount: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  scope: 'session' | 'enroll';
  setupRequired: string[];
  method?: string;
  recoveryCodesRemaining?: number;
  deviceToken?: string;
}

/** The second-factor question: a sign-in, a password reset or a step-up. */
export interface MfaRequired {
  status?: 'mfa_required';
  mfaToken: string;
  expiresAt: string;
  factors: FactorSummary[];
  defaultFactorId: string | null;
  recoveryCodesRemaining?: number;
  setupRequired?: string[];
}

export type LoginAnswer =
  | ({ status: 'mfa_required' } & MfaRequired)
  | { status: 'mfa_setup_required'; accessToken: string; tokenType: 'Bearer'; scope: 'enroll'; expiresIn: number }
  | ({ status: 'signed_in' } & TokenPair);

export interface ChallengeAnswer {
  factorId: string;
  type: string;
  sentTo?: string;
  expiresAt?: string;
  resendAvailableAt?: string;
  /** Passkeys: what the browser signs (a challenge that works once). */
  options?: PublicKeyCredentialRequestOptionsJSON;
}

export interface RecoveryCodeStatus {
  remaining: number;
  total: number;
  generatedAt: string | null;
}

export interface FactorsOverview {
  factors: FactorSummary[];
  recoveryCodes: RecoveryCodeStatus;
  policy: FactorPolicy;
  complete: boolean;
  setupRequired: string[];
}

export interface Me {
  id: string;
  email: string;
  createdAt: string;
  mfa: { complete: boolean; setupRequired: string[] };
  /** Present while a support reset of the account is scheduled (it can be cancelled). */
  pendingReset?: { id: string; executesAt: string } | null;
}

export interface TotpEnrolment {
  factor: FactorSummary;
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}

export interface CodeSentEnrolment {
  factor: FactorSummary;
  sentTo: string;
  expiresAt: string;
  resendAvailableAt: string;
  riskNotice?: string;
}

/** A passkey to create in the browser; pending until the browser's answer is verified. */
export interface PasskeyEnrolment {
  factor: FactorSummary;
  options: PublicKeyCredentialCreationOptionsJSON;
}

export type Enrolment = TotpEnrolment | CodeSentEnrolment;

export interface FactorVerified {
  factor: FactorSummary;
  factors: FactorSummary[];
  complete: boolean;
  setupRequired: string[];
  recoveryCodes?: string[];
  tokens?: TokenPair;
}

export interface SessionSummary {
  id: string;
  createdAt: string;
  lastUsedAt: string | null;
  ip: string | null;
  userAgent: string | null;
  method: string | null;
  current: boolean;
}

export interface TrustedDevice {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
  ip: string | null;
}

export interface NewRecoveryCodes {
  codes: string[];
  generatedAt: string;
}
