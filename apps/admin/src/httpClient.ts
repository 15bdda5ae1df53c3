import { fetchUtils, HttpError } from 'react-admin';
import { apiOrigin, freshAccessToken, refreshSession } from './session';
import { requestStepUp } from './stepUp/stepUpBroker';

export const apiUrl = `${apiOrigin}/admin`;

const withBearer = (options: fetchUtils.Options, token: string | null): fetchUtils.Options =>
  token ? { ...options, user: { authenticated: true, token: `Bearer ${token}` } } : options;

// 401 answers about what the user typed (or their passkey signed), not about the token: refreshing
// would not help, and sending a passkey's answer twice would only be refused as a replay.
const ANSWER_CODES = new Set(['invalid_credentials', 'invalid_code', 'invalid_credential', 'code_expired', 'mfa_token_invalid']);

/** fetchJson with the staff access token; on a 401 about the token it refreshes once and retries. */
async function fetchWithToken(url: string, options: fetchUtils.Options) {
  const token = await freshAccessToken();
  try {
    return await fetchUtils.fetchJson(url, withBearer(options, token));
  } catch (error) {
    if (!(error instanceof HttpError) || error.status !== 401 || !token || ANSWER_CODES.has(errorCode(error) ?? '')) throw error;
    const refreshed = await refreshSession();
    if (!refreshed) throw error;
    return fetchUtils.fetchJson(url, withBearer(options, refreshed.accessToken));
  }
}

/**
 * The client every staff call goes through. When the API wants a recent second factor
 * (403 recent_mfa_required), the step-up dialog asks for a code and the call is sent once more;
 * cancelling it leaves the original error to the caller.
 */
export async function httpClient(url: string, options: fetchUtils.Options = {}) {
  try {
    return await fetchWithToken(url, options);
  } catch (error) {
    if (errorCode(error) !== 'recent_mfa_required' || !(await requestStepUp())) throw error;
    return fetchWithToken(url, options);
  }
}

/** A JSON call that is not tied to the stored session (login steps, enrolment with an enroll token). */
export async function postJson<T>(path: string, body: unknown, bearer?: string): Promise<T> {
  const { json } = await fetchUtils.fetchJson(`${apiOrigin}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    ...(bearer ? { user: { authenticated: true, token: `Bearer ${bearer}` } } : {}),
  });
  return json as T;
}

export interface ApiErrorBody {
  code?: string;
  message?: string;
  attemptsRemaining?: number;
  retryAfter?: number;
  errors?: { field: string; message: string }[];
}

/** The person-readable text of an API error, with the hints the body carries. */
export function describeApiError(error: unknown): string {
  if (!(error instanceof HttpError)) {
    return error instanceof Error ? error.message : 'Something went wrong.';
  }
  const body = (error.body ?? {}) as ApiErrorBody;
  const parts = [body.message ?? error.message];
  if (body.errors?.length) parts.push(body.errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  if (typeof body.attemptsRemaining === 'number') parts.push(`Attempts remaining: ${body.attemptsRemaining}.`);
  if (typeof body.retryAfter === 'number') parts.push(`Try again in ${formatWait(body.retryAfter)}.`);
  return parts.filter(Boolean).join(' ');
}

export function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

export const errorBody = (error: unknown): ApiErrorBody =>
  error instanceof HttpError && error.body && typeof error.body === 'object' ? (error.body as ApiErrorBody) : {};

export const errorCode = (error: unknown): string | undefined => errorBody(error).code;
