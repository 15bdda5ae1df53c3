/**
 * The password typed on the sign-in form, kept in memory only (never stored) so that a member of
 * staff who signed in with their one-time setup password need not type it again to replace it.
 * The password-change page takes it; every other path forgets it, and it lapses on its own.
 */
const KEEP_MS = 10 * 60_000;

let held: string | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;

export function holdSignInPassword(password: string | null): void {
  forgetSignInPassword();
  if (!password) return;
  held = password;
  timer = setTimeout(forgetSignInPassword, KEEP_MS);
}

export function peekSignInPassword(): string | null {
  return held;
}

export function forgetSignInPassword(): void {
  held = null;
  clearTimeout(timer);
  timer = undefined;
}
