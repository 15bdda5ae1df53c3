import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { RequestWithPrincipal } from '@app/twofactor';
import type { StaffPrincipal } from './staff-token.strategy';
import { staffError } from './staff.errors';

const SETUP_PASSWORD_ALLOWED = 'twofold:setup-password-allowed';

/** Routes a member of staff may use while still on the generated setup password (/admin/auth/*, /admin/me*). */
export const AllowSetupPassword = () => SetMetadata(SETUP_PASSWORD_ALLOWED, true);

/**
 * A setup password was seen by whoever created the account (and maybe a chat or a note): until the
 * member of staff chooses their own, the API — not only the console — opens nothing but sign-in and
 * their own account. Runs after the auth guard, which has put the principal on the request.
 */
@Injectable()
export class SetupPasswordGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal as StaffPrincipal | undefined;
    if (principal?.realm !== 'staff' || !principal.usesSetupPassword) return true;
    if (this.reflector.getAllAndOverride<boolean>(SETUP_PASSWORD_ALLOWED, [context.getHandler(), context.getClass()])) return true;
    throw staffError('password_change_required');
  }
}
