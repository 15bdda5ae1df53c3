import type { AuthProvider } from 'react-admin';
import { HttpError } from 'react-admin';
import { apiUrl, httpClient } from './httpClient';
import { clearSession, freshAccessToken, readSession, saveSession } from './session';
import type { StaffIdentity, TokenPair } from './types';
import { hasRole } from './roles';
import { forgetSignInPassword } from './account/signInPassword';

let me: Promise<StaffIdentity> | null = null;

function fetchMe(): Promise<StaffIdentity> {
  me ??= httpClient(`${apiUrl}/me`)
    .then(({ json }) => json as StaffIdentity)
    .catch((error: unknown) => {
      me = null;
      throw error;
    });
  return me;
}

/** Drops the cached GET /admin/me answer (after a change to it, such as a new password). */
export function forgetIdentity(): void {
  me = null;
}

/** Resources only some roles may open; everything else is open to every staff member. */
const RESOURCE_MINIMUM_ROLE = { staff: 'admin' } as const;

export const authProvider: AuthProvider = {
  // The login page runs the password and second-factor steps itself, then hands over the tokens.
  login: async ({ tokens }: { tokens: TokenPair }) => {
    saveSession(tokens);
    me = null;
  },

  logout: async () => {
    const stored = readSession();
    me = null;
    forgetSignInPassword();
    if (stored) {
      const token = await freshAccessToken().catch(() => stored.accessToken);
      const refreshToken = readSession()?.refreshToken ?? stored.refreshToken;
      await fetch(`${apiUrl}/auth/logout`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token ?? stored.accessToken}` },
        body: JSON.stringify({ refreshToken }),
      }).catch(() => undefined); // signing out locally must work even when the API is unreachable
    }
    clearSession();
  },

  checkAuth: async () => {
    // `message: false`: the login page is explanation enough, no "please log in" toast.
    if (!readSession()) throw { message: false };
  },

  checkError: async (error: unknown) => {
    // A 401 left after httpClient's refresh-and-retry means the login is over. A 403 is a role
    // problem: stay signed in and let the page show the error.
    if (error instanceof HttpError && error.status === 401) {
      clearSession();
      me = null;
      throw error;
    }
  },

  getIdentity: async () => {
    const identity = await fetchMe();
    return {
      id: identity.id,
      fullName: identity.name || identity.email,
      email: identity.email,
      role: identity.role,
      mustChangePassword: identity.mustChangePassword === true,
    };
  },

  getPermissions: async () => {
    if (!readSession()) return undefined;
    return (await fetchMe()).role;
  },

  canAccess: async ({ resource }) => {
    const minimum = RESOURCE_MINIMUM_ROLE[resource as keyof typeof RESOURCE_MINIMUM_ROLE];
    if (!minimum) return true;
    return hasRole((await fetchMe()).role, minimum);
  },
};
