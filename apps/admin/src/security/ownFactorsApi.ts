import { apiUrl, httpClient } from '../httpClient';
import type { RegistrationResponseJSON } from '../passkeys/passkeyPrompt';
import type { FactorRole, FactorVerifyAnswer, OwnFactors, PasskeyEnrolment } from '../types';

// The member of staff's own factors (/admin/me/factors*). Through httpClient, so a change that needs a
// recent second factor opens the step-up dialog and is sent again.

const factorUrl = (factorId: string) => `${apiUrl}/me/factors/${encodeURIComponent(factorId)}`;

export async function fetchOwnFactors(): Promise<OwnFactors> {
  return (await httpClient(`${apiUrl}/me/factors`)).json as OwnFactors;
}

export async function startPasskeyEnrolment(role: FactorRole, label: string): Promise<PasskeyEnrolment> {
  const body = { type: 'passkey', role, ...(label ? { label } : {}) };
  return (await httpClient(`${apiUrl}/me/factors`, { method: 'POST', body: JSON.stringify(body) })).json as PasskeyEnrolment;
}

export async function confirmPasskey(factorId: string, credential: RegistrationResponseJSON): Promise<FactorVerifyAnswer> {
  return (await httpClient(`${factorUrl(factorId)}/verify`, { method: 'POST', body: JSON.stringify({ credential }) })).json as FactorVerifyAnswer;
}

export async function changeOwnFactorRole(factorId: string, role: FactorRole): Promise<void> {
  await httpClient(factorUrl(factorId), { method: 'PATCH', body: JSON.stringify({ role }) });
}

export async function removeOwnFactor(factorId: string): Promise<void> {
  await httpClient(factorUrl(factorId), { method: 'DELETE' });
}
