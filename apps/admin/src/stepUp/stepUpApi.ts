import { apiUrl, httpClient } from '../httpClient';
import type { AuthenticationResponseJSON } from '../passkeys/passkeyPrompt';
import type { StepUpAnswer } from '../types';

/** A code, or a passkey's signature of the challenge from /admin/auth/mfa/challenge. */
export type StepUpProof = { code: string } | { credential: AuthenticationResponseJSON };

export async function startStepUp(): Promise<StepUpAnswer> {
  const { json } = await httpClient(`${apiUrl}/me/step-up`, { method: 'POST' });
  return json as StepUpAnswer;
}

export async function verifyStepUp(mfaToken: string, factorId: string, proof: StepUpProof): Promise<void> {
  await httpClient(`${apiUrl}/me/step-up/verify`, { method: 'POST', body: JSON.stringify({ mfaToken, factorId, ...proof }) });
}
