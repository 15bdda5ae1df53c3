import { apiUrl, httpClient } from '../httpClient';
import type { StepUpAnswer } from '../types';

export async function startStepUp(): Promise<StepUpAnswer> {
  const { json } = await httpClient(`${apiUrl}/me/step-up`, { method: 'POST' });
  return json as StepUpAnswer;
}

export async function verifyStepUp(mfaToken: string, factorId: string, code: string): Promise<void> {
  await httpClient(`${apiUrl}/me/step-up/verify`, { method: 'POST', body: JSON.stringify({ mfaToken, factorId, code }) });
}
