// The API's rule (docs/api.md): 12–128 characters and not a common password; the API checks the latter.
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

/** The i18n key of what is wrong with the new password before asking the API, or null. */
export function newPasswordProblem(next: string, confirmation: string, current: string): string | null {
  const length = [...next].length;
  if (length < PASSWORD_MIN) return 'twofold.password.too_short';
  if (length > PASSWORD_MAX) return 'twofold.password.too_long';
  if (next !== confirmation) return 'twofold.password.mismatch';
  if (next === current) return 'twofold.password.same';
  return null;
}
