import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Realm, RequestWithPrincipal } from '../guards/principal';

export const PUBLIC_KEY = 'twofactor:public';
export const REALM_KEY = 'twofactor:realm';
export const ENROLL_SCOPE_KEY = 'twofactor:enroll-scope';
export const RECENT_MFA_KEY = 'twofactor:recent-mfa';
export const MIN_ROLE_KEY = 'twofactor:min-role';

/** Opens a route to anonymous callers. Everything else is closed by default. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The realm whose tokens a controller or route accepts (default: customer). */
export const ForRealm = (realm: Realm) => SetMetadata(REALM_KEY, realm);

/** Lets an `enroll`-scope token (password proven, second factor not yet set up) through. */
export const AllowEnrollScope = () => SetMetadata(ENROLL_SCOPE_KEY, true);

/**
 * Demands that this login proved a second factor within `seconds` (default: the module's
 * `recentSecondFactorSeconds`), for changes an attacker holding a stolen session would want.
 */
export const RecentSecondFactor = (seconds?: number) => SetMetadata(RECENT_MFA_KEY, seconds ?? 'default');

/** The lowest role allowed (a realm's roles are ordered, see TwoFactorOptions.roles). */
export const MinRole = (role: string) => SetMetadata(MIN_ROLE_KEY, role);

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});
