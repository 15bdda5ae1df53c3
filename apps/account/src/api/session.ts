import type { TokenPair } from './types';

// Tokens live in sessionStorage: they die with the tab and are never shared with other tabs or
// kept on the device. Only the trusted-device token is meant to outlive the tab (localStorage).
const SESSION_KEY = 'twofold.account.session';
const DEVICE_KEY = 'twofold.account.device';
// Refresh a little before expiry so a request never leaves with a token about to lapse.
const REFRESH_MARGIN_MS = 60_000;

export interface StoredSession {
  accessToken: string;
  /** Absent for the enrolment token of a first setup (it cannot be refreshed). */
  refreshToken: string | null;
  expiresAt: number;
  scope: 'session' | 'enroll';
}

type Listener = () => void;
const listeners = new Set<Listener>();

/** Lets the app re-render when the session appears, changes scope or ends. */
export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const notify = () => listeners.forEach((listener) => listener());

export function readSession(): StoredSession | null {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof parsed.accessToken !== 'string') return null;
    return {
      accessToken: parsed.accessToken,
      refreshToken: typeof parsed.refreshToken === 'string' ? parsed.refreshToken : null,
      expiresAt: Number(parsed.expiresAt) || 0,
      scope: parsed.scope === 'enroll' ? 'enroll' : 'session',
    };
  } catch {
    return null;
  }
}

export function saveSession(tokens: Pick<TokenPair, 'accessToken' | 'expiresIn' | 'scope'> & { refreshToken?: string }): StoredSession {
  const stored: StoredSession = {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken ?? null,
    expiresAt: Date.now() + tokens.expiresIn * 1000,
    scope: tokens.scope,
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(stored));
  notify();
  return stored;
}

export function clearSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
  notify();
}

/** The token that lets this browser skip the second factor (not the password) for a while. */
export function readDeviceToken(): string | null {
  return localStorage.getItem(DEVICE_KEY);
}

export function saveDeviceToken(token: string): void {
  localStorage.setItem(DEVICE_KEY, token);
}

export function forgetDeviceToken(): void {
  localStorage.removeItem(DEVICE_KEY);
}

export const needsRefresh = (session: StoredSession): boolean => session.expiresAt - Date.now() <= REFRESH_MARGIN_MS;

/** The stored session as a string: a stable snapshot for React's useSyncExternalStore. */
export const sessionSnapshot = (): string | null => sessionStorage.getItem(SESSION_KEY);
