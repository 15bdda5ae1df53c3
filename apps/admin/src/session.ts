import type { TokenPair } from './types';

// Tokens live in sessionStorage: they die with the tab and are never shared with other tabs.
const STORAGE_KEY = 'twofold.admin.session';
// Refresh a little before expiry so a request never leaves with a token about to lapse.
const REFRESH_MARGIN_MS = 60_000;

export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

export const apiOrigin = window.location.origin;

export function readSession(): StoredSession | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof parsed.accessToken !== 'string' || typeof parsed.refreshToken !== 'string') return null;
    return { accessToken: parsed.accessToken, refreshToken: parsed.refreshToken, expiresAt: Number(parsed.expiresAt) || 0 };
  } catch {
    return null;
  }
}

export function saveSession(tokens: TokenPair): StoredSession {
  const stored: StoredSession = {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: Date.now() + tokens.expiresIn * 1000,
  };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
  return stored;
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** The `sub` claim of the stored access token (the staff member's id), without verifying it. */
export function currentSubject(): string | null {
  const token = readSession()?.accessToken;
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as { sub?: unknown };
    return typeof claims.sub === 'string' ? claims.sub : null;
  } catch {
    return null;
  }
}

let pendingRefresh: Promise<StoredSession | null> | null = null;

/**
 * Rotates the refresh token. Concurrent callers share one request: the API revokes the whole login
 * when a rotated refresh token is presented twice.
 */
export function refreshSession(): Promise<StoredSession | null> {
  pendingRefresh ??= doRefresh().finally(() => {
    pendingRefresh = null;
  });
  return pendingRefresh;
}

async function doRefresh(): Promise<StoredSession | null> {
  const current = readSession();
  if (!current) return null;
  let response: Response;
  try {
    response = await fetch(`${apiOrigin}/admin/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ refreshToken: current.refreshToken }),
    });
  } catch {
    return null; // offline: keep the session, the next request tries again
  }
  if (!response.ok) {
    clearSession();
    return null;
  }
  return saveSession((await response.json()) as TokenPair);
}

/** The access token to send now, refreshed first when it is about to expire. */
export async function freshAccessToken(): Promise<string | null> {
  const current = readSession();
  if (!current) return null;
  if (current.expiresAt - Date.now() > REFRESH_MARGIN_MS) return current.accessToken;
  const refreshed = await refreshSession();
  return refreshed?.accessToken ?? readSession()?.accessToken ?? null;
}
