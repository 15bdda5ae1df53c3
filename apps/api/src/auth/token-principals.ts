import { Injectable } from '@nestjs/common';
import { Principal, Realm, RequestWithPrincipal } from '@app/twofactor';
import { ExtractJwt, StrategyOptionsWithRequest } from 'passport-jwt';
import { SessionService } from './session.service';
import { TokenService } from './token.service';

/** A caller as their access token shows them: the principal, and how and when the login was proven. */
export interface TokenPrincipal extends Principal {
  amr: string[];
  authTime: Date;
}

/**
 * The part of every realm's access-token strategy that is the same: passport-jwt's options, and
 * verified claims → Principal. A token proves nothing unless its login is still live, so a logout,
 * a revoked session or a support reset takes effect at once, not when the token expires.
 */
@Injectable()
export class TokenPrincipals {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
  ) {}

  strategyOptions(realm: Realm): StrategyOptionsWithRequest {
    return { ...this.tokens.verification(realm), jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), passReqToCallback: true };
  }

  async principalFor(realm: Realm, payload: Record<string, unknown>): Promise<TokenPrincipal | null> {
    const claims = this.tokens.claimsOf(payload, realm);
    if (!claims) return null;
    const principal = await this.sessions.principalFor(claims);
    return principal && { ...principal, amr: claims.amr, authTime: claims.authTime };
  }
}

/**
 * The principal an earlier guard resolved from this same token (the global guard, then an
 * `AuthGuard(...)` on the controller): reused rather than looked up twice.
 */
export function resolvedBefore(request: RequestWithPrincipal, realm: Realm, payload: Record<string, unknown>): Principal | undefined {
  const { principal } = request;
  return principal && principal.realm === realm && principal.sessionId === payload.sid && principal.subjectId === payload.sub ? principal : undefined;
}
