import { apiUrl, httpClient } from '../httpClient';

/** 204; the API ends this member's other logins, not this one. */
export async function changeOwnPassword(currentPassword: string, newPassword: string): Promise<void> {
  await httpClient(`${apiUrl}/me/password`, { method: 'POST', body: JSON.stringify({ currentPassword, newPassword }) });
}
