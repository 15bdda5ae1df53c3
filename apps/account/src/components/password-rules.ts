import { t } from '../i18n';

// The API's rule (POST /auth/register): 12–128 characters and not a common password; the API checks the latter.
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

/** What is wrong with a new password before asking the API, or null. */
export function newPasswordProblem(next: string, confirmation: string, current?: string): string | null {
  const length = [...next].length;
  if (length < PASSWORD_MIN) return t.errors.password_too_short;
  if (length > PASSWORD_MAX) return t.errors.password_too_long;
  if (next !== confirmation) return t.errors.password_mismatch;
  if (current !== undefined && next === current) return t.errors.password_same;
  return null;
}
