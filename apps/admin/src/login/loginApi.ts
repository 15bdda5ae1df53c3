import { postJson } from '../httpClient';
import type { AuthenticationResponseJSON } from '../passkeys/passkeyPrompt';
import type { ChallengeAnswer, FactorVerifyAnswer, LoginAnswer, TokenPair, TotpEnrolment } from '../types';

// The back-office sign-in routes: same bodies and answers as the customer routes (docs/api.md).

export const passwordLogin = (email: string, password: string) =>
  postJson<LoginAnswer>('/admin/auth/login', { email, password });

export const sendChallenge = (mfaToken: string, factorId: string) =>
  postJson<ChallengeAnswer>('/admin/auth/mfa/challenge', { mfaToken, factorId });

export const verifyCode = (mfaToken: string, factorId: string, code: string) =>
  postJson<TokenPair>('/admin/auth/mfa/verify', { mfaToken, factorId, code });

export const verifyPasskey = (mfaToken: string, factorId: string, credential: AuthenticationResponseJSON) =>
  postJson<TokenPair>('/admin/auth/mfa/verify', { mfaToken, factorId, credential });

export const verifyRecoveryCode = (mfaToken: string, recoveryCode: string) =>
  postJson<TokenPair & { recoveryCodesRemaining?: number }>('/admin/auth/mfa/verify', { mfaToken, recoveryCode });

export const startTotpEnrolment = (enrolToken: string) =>
  postJson<TotpEnrolment>('/admin/me/factors', { type: 'totp', role: 'primary' }, enrolToken);

export const confirmEnrolment = (enrolToken: string, factorId: string, code: string) =>
  postJson<FactorVerifyAnswer>(`/admin/me/factors/${encodeURIComponent(factorId)}/verify`, { code }, enrolToken);

export const isSixDigitCode = (code: string) => /^\d{6}$/.test(code);
