import { clearSession, needsRefresh, readSession, saveSession, type StoredSession } from './session';
import type { TokenPair } from './types';

/** The error body of the contract: a stable `code` and the hints some answers carry. */
export interface ApiErrorBody {
  statusCode?: number;
  code?: string;
  message?: string;
  attemptsRemaining?: number;
  retryAfter?: number;
  errors?: { field: string; message: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message ?? `HTTP ${status}`);
  }

  get code(): string | undefined {
    return this.body.code;
  }
}

/** A network failure (offline, server down): no HTTP answer at all. */
export class NetworkError extends Error {}

// 401 answers about what the user typed (or their passkey signed), not about the token: refreshing
// would not help, and sending a passkey's answer twice would only be refused as a replay.
const ANSWER_CODES = new Set(['invalid_credentials', 'invalid_code', 'invalid_credential', 'code_expired', 'mfa_token_invalid', 'reset_token_invalid']);

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  bearer?: string | null;
}

async function send<T>(path: string, { method = 'GET', body, bearer }: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (error) {
    throw new NetworkError(error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const errorBody = (json && typeof json === 'object' ? json : {}) as ApiErrorBody;
    // A 429 from a proxy may carry the wait only in the header.
    const retryAfter = Number(response.headers.get('Retry-After'));
    if (errorBody.retryAfter === undefined && Number.isFinite(retryAfter) && retryAfter > 0) errorBody.retryAfter = retryAfter;
    throw new ApiError(response.status, errorBody);
  }
  return json as T;
}

/** A call that needs no session: sign-in steps, registration, password reset. */
export const publicCall = <T>(path: string, body?: unknown): Promise<T> => send<T>(path, { method: 'POST', body });

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
  if (!current?.refreshToken) return null;
  try {
    return saveSession(await send<TokenPair>('/auth/refresh', { method: 'POST', body: { refreshToken: current.refreshToken } }));
  } catch (error) {
    if (error instanceof NetworkError) return null; // offline: keep the session, the next request tries again
    clearSession();
    return null;
  }
}

async function freshAccessToken(): Promise<string | null> {
  const current = readSession();
  if (!current) return null;
  if (!current.refreshToken || !needsRefresh(current)) return current.accessToken;
  return (await refreshSession())?.accessToken ?? readSession()?.accessToken ?? null;
}

/** A call with the signed-in customer's token; on a 401 about the token it refreshes once and retries. */
export async function authedCall<T>(path: string, options: Omit<RequestOptions, 'bearer'> = {}): Promise<T> {
  const token = await freshAccessToken();
  try {
    return await send<T>(path, { ...options, bearer: token });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || ANSWER_CODES.has(error.code ?? '')) throw error;
    const refreshed = token ? await refreshSession() : null;
    if (!refreshed) {
      // The login is over (revoked, expired): back to the sign-in page.
      clearSession();
      throw error;
    }
    return send<T>(path, { ...options, bearer: refreshed.accessToken });
  }
}
