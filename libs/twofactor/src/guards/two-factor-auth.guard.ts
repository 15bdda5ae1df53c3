import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Clock } from '../clock/clock';
import {
  ENROLL_SCOPE_KEY, MIN_ROLE_KEY, PUBLIC_KEY, REALM_KEY, RECENT_MFA_KEY,
} from '../decorators/auth.decorators';
import { TwoFactorError } from '../errors/two-factor.errors';
import { TwoFactorOptions } from '../two-factor.options';
import { Principal, PrincipalResolver, Realm, RequestWithPrincipal } from './principal';

/**
 * The one global guard. A route is closed unless marked @Public(); an open route still gets the
 * principal when credentials are sent. Checks, in order: a valid token, the realm, the scope
 * (an enroll token only where allowed), the staff role, and a recent second factor.
 */
@Injectable()
export class TwoFactorAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly resolver: PrincipalResolver,
    private readonly clock: Clock,
    private readonly options: TwoFactorOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets);
    const header = request.headers.authorization;
    const authorization = Array.isArray(header) ? header[0] : header;

    if (isPublic && !authorization) return true;
    const principal = await this.resolver.resolve(authorization);
    const realm = this.reflector.getAllAndOverride<Realm>(REALM_KEY, targets) ?? 'customer';
    // A token for another realm counts as no token at all: a customer token means nothing under /admin.
    if (!principal || principal.realm !== realm) {
      if (isPublic) return true;
      throw new TwoFactorError('unauthorized');
    }
    request.principal = principal;
    if (isPublic) return true;

    if (principal.scope === 'enroll' && !this.reflector.getAllAndOverride<boolean>(ENROLL_SCOPE_KEY, targets)) {
      throw new TwoFactorError('mfa_setup_incomplete');
    }
    this.checkRole(principal, this.reflector.getAllAndOverride<string>(MIN_ROLE_KEY, targets));
    this.checkRecentSecondFactor(principal, this.reflector.getAllAndOverride<number | 'default'>(RECENT_MFA_KEY, targets));
    return true;
  }

  private checkRole(principal: Principal, minRole: string | undefined): void {
    if (!minRole) return;
    const ordered = this.options.roles?.[principal.realm] ?? [];
    const have = ordered.indexOf(principal.role ?? '');
    const need = ordered.indexOf(minRole);
    // An unknown required role is refused for everyone (need < 0), never waved through.
    if (have < 0 || need < 0 || have < need) throw new TwoFactorError('forbidden');
  }

  private checkRecentSecondFactor(principal: Principal, seconds: number | 'default' | undefined): void {
    if (seconds === undefined) return;
    const window = seconds === 'default' ? this.options.recentSecondFactorSeconds : seconds;
    if (!hasRecentSecondFactor(principal, this.clock.now(), window)) throw new TwoFactorError('recent_mfa_required');
  }
}

export function hasRecentSecondFactor(principal: Principal, now: Date, windowSeconds: number): boolean {
  return principal.mfaAt !== null && now.getTime() - principal.mfaAt.getTime() <= windowSeconds * 1000;
}
