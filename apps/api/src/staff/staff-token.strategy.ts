import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { accessTokenStrategy, RequestWithPrincipal } from '@app/twofactor';
import { Strategy as JwtStrategy } from 'passport-jwt';
import { resolvedBefore, TokenPrincipal, TokenPrincipals } from '../auth/token-principals';
import { StaffService } from './staff.service';

/** A staff caller: the role, and whether the one-time setup password is still theirs (see SetupPasswordGuard). */
export interface StaffPrincipal extends TokenPrincipal {
  usesSetupPassword: boolean;
}

/**
 * Staff access tokens (audience `staff`). The role comes from the database, not the token, and a
 * disabled member of staff has no login left, even one that slipped in while they were disabled.
 */
@Injectable()
export class StaffTokenStrategy extends PassportStrategy(JwtStrategy, accessTokenStrategy('staff')) {
  constructor(
    private readonly principals: TokenPrincipals,
    private readonly staff: StaffService,
  ) {
    super(principals.strategyOptions('staff'));
  }

  async validate(request: RequestWithPrincipal, payload: Record<string, unknown>): Promise<StaffPrincipal | false> {
    const before = resolvedBefore(request, 'staff', payload);
    if (before) return before as StaffPrincipal;
    const principal = await this.principals.principalFor('staff', payload);
    if (!principal) return false;
    const access = await this.staff.access(principal.subjectId);
    return access ? { ...principal, role: access.role, usesSetupPassword: access.setupPassword } : false;
  }
}
