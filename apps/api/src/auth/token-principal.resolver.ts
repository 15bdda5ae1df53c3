import { Injectable } from '@nestjs/common';
import { Principal, PrincipalResolver, Realm } from '@app/twofactor';
import { SessionService } from './session.service';
import { TokenService } from './token.service';

/**
 * Bearer token → Principal. The token must verify for its realm AND its login must still be live,
 * so a logout, a revoked session or a support reset takes effect at once, not when the token expires.
 */
@Injectable()
export class TokenPrincipalResolver extends PrincipalResolver {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
  ) {
    super();
  }

  async resolve(authorization: string | undefined): Promise<Principal | null> {
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization?.trim() ?? '');
    if (!match) return null;
    const realm = audienceOf(match[1]);
    if (!realm) return null;
    const claims = await this.tokens.verify(match[1], realm);
    if (!claims) return null;
    const principal = await this.sessions.principalFor(claims);
    if (!principal) return null;
    if (realm !== 'staff') return principal;
    // A disabled member of staff has no login left, even one that slipped in while they were disabled.
    const access = await this.sessions.staffAccess(principal.subjectId);
    if (!access) return null;
    const staff: StaffPrincipal = { ...principal, role: access.role, usesSetupPassword: access.setupPassword };
    return staff;
  }
}

/** A staff caller: the role, and whether the one-time setup password is still theirs (see SetupPasswordGuard). */
export interface StaffPrincipal extends Principal {
  usesSetupPassword?: boolean;
}

/** Reads the (not yet verified) audience only to choose which realm to verify against. */
function audienceOf(token: string): Realm | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { aud?: unknown };
    return payload.aud === 'customer' || payload.aud === 'staff' ? payload.aud : null;
  } catch {
    return null;
  }
}
