// Shapes from the HTTP contract (docs/api.md). Only the fields the console reads are listed.

import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from './passkeys/passkeyPrompt';

export type StaffRole = 'agent' | 'supervisor' | 'admin';
export type FactorType = 'totp' | 'sms' | 'email' | 'passkey';
export type FactorRole = 'primary' | 'secondary';
export type Verification = 'security_questions' | 'callback_to_number_on_file' | 'id_document' | 'in_person';

export interface FactorSummary {
  id: string;
  type: FactorType;
  role: FactorRole;
  status: 'pending' | 'active';
  hint: string;
  createdAt: string;
  verifiedAt: string | null;
  lastUsedAt: string | null;
  /** SMS and email factors: whether messages to the channel arrive. */
  health?: ChannelHealth;
}

export interface ChannelHealth {
  status: 'ok' | 'failing';
  lastDeliveryStatus: string | null;
  lastDeliveryAt: string | null;
  failuresInRow: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  scope: 'session' | 'enroll';
  setupRequired?: string[];
  method?: string;
}

export interface MfaRequiredAnswer {
  status: 'mfa_required';
  mfaToken: string;
  expiresAt: string;
  factors: FactorSummary[];
  defaultFactorId: string;
  recoveryCodesRemaining?: number;
}

export interface MfaSetupRequiredAnswer {
  status: 'mfa_setup_required';
  accessToken: string;
  tokenType: 'Bearer';
  scope: 'enroll';
  expiresIn: number;
}

export type LoginAnswer = MfaRequiredAnswer | MfaSetupRequiredAnswer;

export interface TotpEnrolment {
  factor: FactorSummary;
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}

export interface FactorVerifyAnswer {
  factor: FactorSummary;
  recoveryCodes?: string[];
  tokens?: TokenPair;
}

/** `POST /admin/me/factors {type:"passkey"}`: a pending factor and what the browser needs to make the passkey. */
export interface PasskeyEnrolment {
  factor: FactorSummary;
  options: PublicKeyCredentialCreationOptionsJSON;
}

/** `POST /admin/auth/mfa/challenge`: a passkey's answer carries the challenge to sign (it works once). */
export interface ChallengeAnswer {
  factorId: string;
  type: string;
  sentTo?: string;
  options?: PublicKeyCredentialRequestOptionsJSON;
}

export interface FactorPolicy {
  primaryTypes: string[];
  secondaryTypes: string[];
  secondaryRequired: boolean;
}

/** `GET /admin/me/factors`: the member of staff's own factors and their realm's policy. */
export interface OwnFactors {
  factors: FactorSummary[];
  recoveryCodes: { remaining: number; total: number; generatedAt: string | null };
  policy: FactorPolicy;
  complete: boolean;
  setupRequired: string[];
}

export interface StaffIdentity {
  id: string;
  email: string;
  name?: string;
  role: StaffRole;
  /** True while the member of staff still signs in with the generated one-time setup password. */
  mustChangePassword?: boolean;
}

/** `POST /admin/me/step-up`: a challenge like the sign-in's mfa_required answer. */
export interface StepUpAnswer {
  mfaToken: string;
  expiresAt: string;
  factors: FactorSummary[];
  defaultFactorId: string | null;
  recoveryCodesRemaining?: number;
  setupRequired?: string[];
}

export interface CustomerRow {
  id: string;
  email: string;
  createdAt: string;
  lastLoginAt: string | null;
  mfaComplete: boolean;
  primaryType: FactorType | null;
  secondaryTypes: FactorType[];
  recoveryCodesRemaining: number;
  lockedUntil: string | null;
}

export interface CustomerDetail extends CustomerRow {
  factors: FactorSummary[];
}

export interface AuditEvent {
  id: string;
  at: string;
  type: string;
  actor: { type: 'customer' | 'staff' | 'system'; id: string | null; email: string | null };
  subject: { type: string; id: string } | null;
  ip: string | null;
  reason: string | null;
  data: Record<string, unknown> | null;
}

export interface AuditVerification {
  valid: boolean;
  count: number;
  firstBrokenId: string | null;
}

export interface DeliveryCounts {
  sent: number;
  failed: number;
}

export interface DailyStats {
  date: string;
  mfaSuccess: number;
  mfaFailure: number;
  smsSent: number;
  smsFailed: number;
  emailSent: number;
  emailFailed: number;
}

export interface Stats {
  customers: { total: number; complete: number; missingSecondary: number; withoutFactors: number; locked: number };
  factors: { primary: { totp: number; sms: number }; secondary: { totp: number; sms: number; email: number } };
  recoveryCodesLow: number;
  last24h: {
    mfaSuccess: number;
    mfaFailure: number;
    deliveries: { sms: DeliveryCounts; email: DeliveryCounts };
  };
  daily: DailyStats[];
  atRisk: number;
  failingChannels: { channel: 'sms' | 'email'; provider: string; count: number }[];
  resets: Record<ResetStatus, number>;
}

export type ResetStatus = 'awaiting_approval' | 'scheduled' | 'executed' | 'cancelled' | 'expired';

/** A whole reset request (GET /admin/resets). */
export interface PendingReset {
  id: string;
  customerId: string;
  customerEmail: string | null;
  requestedBy: string;
  requestedByEmail: string | null;
  approvedBy: string | null;
  approvedByEmail: string | null;
  reason: string;
  verification: Verification;
  createdAt: string;
  approvedAt: string | null;
  executesAt: string | null;
  status: ResetStatus;
  approvalExpiresAt: string;
  executedAt: string | null;
  cancelledAt: string | null;
  cancelledBy: { type: 'staff' | 'customer'; id: string; via?: 'session' | 'cancel_token' } | null;
  cancelReason: string | null;
}

export interface OutboxMessage {
  id: string;
  channel: 'sms' | 'email';
  to: string;
  subject?: string;
  body: string;
  createdAt: string;
}

export interface SupportActionInput {
  reason: string;
  verification?: Verification;
}

/** One message in the delivery log: masked recipient, never the content (GET /admin/deliveries). */
export interface Delivery {
  id: string;
  customerId: string | null;
  channel: 'sms' | 'email';
  kind: 'code' | 'notice';
  purpose: string | null;
  recipient: string | null;
  status: 'pending' | 'enqueued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'expired';
  reason: string | null;
  providerStatus: string | null;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  updatedAt: string;
  resentFrom: string | null;
  resendable: boolean;
}
