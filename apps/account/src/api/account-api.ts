import { authedCall, publicCall } from './client';
import type {
  ChallengeAnswer,
  Enrolment,
  FactorRole,
  FactorsOverview,
  FactorSummary,
  FactorVerified,
  LoginAnswer,
  Me,
  MfaRequired,
  NewRecoveryCodes,
  PasskeyEnrolment,
  SessionSummary,
  TokenPair,
  TrustedDevice,
} from './types';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../passkeys/passkey-prompt';

/** One function per API call the pages make; the paths and bodies are the contract's. */

/** What answers one factor's question: a code, or a passkey's signature of the challenge. */
export type FactorAnswer = { factorId: string; code: string } | { factorId: string; credential: AuthenticationResponseJSON };

/** What answers a second-factor question: one factor's answer, or a recovery code. */
export type SecondFactorAnswer = FactorAnswer | { recoveryCode: string };

export const accountApi = {
  register: (email: string, password: string) => publicCall<{ id: string; email: string }>('/auth/register', { email, password }),
  login: (email: string, password: string, deviceToken: string | null) =>
    publicCall<LoginAnswer>('/auth/login', { email, password, ...(deviceToken ? { deviceToken } : {}) }),
  challenge: (mfaToken: string, factorId: string) => publicCall<ChallengeAnswer>('/auth/mfa/challenge', { mfaToken, factorId }),
  verify: (mfaToken: string, answer: SecondFactorAnswer, extra: { rememberDevice?: boolean; newPassword?: string } = {}) =>
    publicCall<TokenPair>('/auth/mfa/verify', { mfaToken, ...answer, ...extra }),
  forgotPassword: (email: string) => publicCall<Record<string, never>>('/auth/password/forgot', { email }),
  startReset: (resetToken: string) => publicCall<MfaRequired>('/auth/password/reset', { resetToken }),
  logout: () => authedCall<void>('/auth/logout', { method: 'POST', body: {} }),

  me: () => authedCall<Me>('/me'),
  factors: () => authedCall<FactorsOverview>('/me/factors'),
  enrol: (type: string, role: FactorRole, phone?: string) =>
    authedCall<Enrolment>('/me/factors', { method: 'POST', body: { type, role, ...(phone !== undefined ? { phone } : {}) } }),
  confirmFactor: (factorId: string, code: string) => authedCall<FactorVerified>(`/me/factors/${factorId}/verify`, { method: 'POST', body: { code } }),
  enrolPasskey: (role: FactorRole, label: string) =>
    authedCall<PasskeyEnrolment>('/me/factors', { method: 'POST', body: { type: 'passkey', role, ...(label ? { label } : {}) } }),
  confirmPasskey: (factorId: string, credential: RegistrationResponseJSON) =>
    authedCall<FactorVerified>(`/me/factors/${factorId}/verify`, { method: 'POST', body: { credential } }),
  resendEnrolment: (factorId: string) =>
    authedCall<{ expiresAt: string; resendAvailableAt: string }>(`/me/factors/${factorId}/resend`, { method: 'POST' }),
  changeRole: (factorId: string, role: FactorRole) => authedCall<{ factors: FactorSummary[] }>(`/me/factors/${factorId}`, { method: 'PATCH', body: { role } }),
  removeFactor: (factorId: string) => authedCall<void>(`/me/factors/${factorId}`, { method: 'DELETE' }),
  regenerateRecoveryCodes: () => authedCall<NewRecoveryCodes>('/me/recovery-codes', { method: 'POST' }),
  stepUp: () => authedCall<MfaRequired>('/me/step-up', { method: 'POST' }),
  completeStepUp: (mfaToken: string, answer: FactorAnswer) =>
    authedCall<{ mfaAt: string; method: string }>('/me/step-up/verify', { method: 'POST', body: { mfaToken, ...answer } }),
  sessions: () => authedCall<{ sessions: SessionSummary[] }>('/me/sessions'),
  revokeSession: (id: string) => authedCall<void>(`/me/sessions/${id}`, { method: 'DELETE' }),
  devices: () => authedCall<TrustedDevice[]>('/me/devices'),
  revokeDevice: (id: string) => authedCall<void>(`/me/devices/${id}`, { method: 'DELETE' }),
  cancelPendingReset: () => authedCall<unknown>('/me/pending-reset/cancel', { method: 'POST' }),
  changePassword: (currentPassword: string, newPassword: string) =>
    authedCall<void>('/me/password', { method: 'POST', body: { currentPassword, newPassword } }),
};
