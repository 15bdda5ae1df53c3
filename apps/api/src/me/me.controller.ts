import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowEnrollScope, ClientContext, CurrentPrincipal, FactorService, Principal, RecentSecondFactor } from '@app/twofactor';
import { Client } from '../common/client-context.decorator';
import { AccountsService } from '../accounts/accounts.service';
import { ChangePasswordDto } from '../auth/auth.dto';
import { SessionService } from '../auth/session.service';
import { authError } from '../auth/auth.errors';
import { IdOr404 } from '../common/id-or-404.pipe';
import { SupportResetsService } from '../resets/support-resets.service';
import { OwnFactorsRoutes } from './own-factors.routes';
import { subjectOf } from './own-factors.service';

const SessionId = new IdOr404(() => authError('session_not_found'));

@ApiTags('The customer\'s own account and factors')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly sessions: SessionService,
    private readonly factors: FactorService,
    private readonly resets: SupportResetsService,
  ) {}

  @Get()
  @AllowEnrollScope()
  @ApiOperation({ summary: 'The signed-in customer' })
  async me(@CurrentPrincipal() principal: Principal) {
    const customer = await this.accounts.find(principal.subjectId);
    const { complete, setupRequired } = await this.factors.overview(subjectOf(principal));
    // A support reset the customer can still stop, so any client can offer "cancel" at once.
    const pending = await this.resets.pendingFor(principal.subjectId);
    return {
      id: customer!.id, email: customer!.email, createdAt: customer!.createdAt, mfa: { complete, setupRequired },
      // Shown once approved: before that nothing is scheduled (the customer may still cancel by POST).
      pendingReset: pending?.executesAt ? { id: pending.id, status: pending.status, executesAt: pending.executesAt } : null,
    };
  }

  @Post('password')
  @HttpCode(204)
  @RecentSecondFactor()
  @ApiOperation({ summary: 'Change password; every other login and every remembered device of the account is revoked' })
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto, @Client() client: ClientContext) {
    await this.accounts.changePassword(principal.subjectId, body.currentPassword, body.newPassword, { sessionId: principal.sessionId, ip: client.ip });
  }

  @Get('sessions')
  @ApiOperation({ summary: 'Live logins of this account' })
  async listSessions(@CurrentPrincipal() principal: Principal) {
    const sessions = await this.sessions.list('customer', principal.subjectId);
    return {
      sessions: sessions.map((s) => ({
        id: s.id, createdAt: s.createdAt, lastUsedAt: s.lastUsedAt, ip: s.ip, userAgent: s.userAgent, method: s.method, scope: s.scope,
        current: s.id === principal.sessionId,
      })),
    };
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one login' })
  revokeSession(@CurrentPrincipal() principal: Principal, @Param('id', SessionId) id: string) {
    return this.sessions.revokeOwn('customer', principal.subjectId, id);
  }
}

/** The customer's own factors and recovery codes at /me/factors* and /me/recovery-codes. */
@ApiTags("The customer's own account and factors")
@ApiBearerAuth()
@Controller('me')
export class MeFactorsController extends OwnFactorsRoutes {}
