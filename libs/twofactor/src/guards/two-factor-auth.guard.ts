import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, IAuthGuard } from '@nestjs/passport';
import { Clock } from '../clock/clock';
import {
  ENROLL_SCOPE_KEY, MIN_ROLE_KEY, PUBLIC_KEY, REALM_KEY, RECENT_MFA_KEY,
} from '../decorators/auth.decorators';
import { TwoFactorError } from '../errors/two-factor.errors';
import { TwoFactorOptions } from '../two-factor.options';
import { accessTokenStrategy } from './access-token.strategy';
import { Principal, Realm, RequestWithPrincipal } from './principal';

/**
 * The one global guard. A route is closed unless marked @Public(); an open route still gets the
 * principal when credentials are sent. Checks, in order: a valid token for the route's realm (through
 * the realm's Passport strategy, see accessTokenStrategy), the scope (an enroll token only where
 * allowed), the staff role, and a recent second factor.
 */
@Injectable()
export class TwoFactorAuthGuard implements CanActivate {
  private readonly passportGuards = new Map<Realm, IAuthGuard>();

  constructor(
    private readonly reflector: Reflector,
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
    const realm = this.reflector.getAllAndOverride<Realm>(REALM_KEY, targets) ?? 'customer';
    const principal = await this.authenticate(context, realm);
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

  /** The realm's strategy's principal, or null for a missing, forged, expired, foreign or revoked token. */
  private async authenticate(context: ExecutionContext, realm: Realm): Promise<Principal | null> {
    let guard = this.passportGuards.get(realm);
    if (!guard) {
      guard = new (class extends AuthGuard(accessTokenStrategy(realm)) {
        // Passport's own refusal ({statusCode:401,message:'Unauthorized'}) would bypass the contract's error
        // shape and the @Public() rule: a failed token is reported as null and this guard decides.
        // Errors (the database down) still propagate.
        override handleRequest<T>(error: unknown, user: T | false): T | null {
          if (error) throw error;
          return user || null;
        }
      })();
      this.passportGuards.set(realm, guard);
    }
    await guard.canActivate(context);
    return context.switchToHttp().getRequest<RequestWithPrincipal>().user ?? null;
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
