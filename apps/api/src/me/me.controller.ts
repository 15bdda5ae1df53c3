import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowEnrollScope, ClientContext, CurrentPrincipal, FactorService, Principal, RecentSecondFactor } from '@app/twofactor';
import { AccountsService } from '../accounts/accounts.service';
import { ChangePasswordDto } from '../auth/auth.dto';
import { Client } from '../auth/client-context.decorator';
import { SessionService } from '../auth/session.service';
import { ParseId } from '../common/parse-id.pipe';
import { NoStore } from '../common/no-store.decorator';
import { ChangeRoleDto, EnrolFactorDto, VerifyFactorDto } from './me.dto';
import { OwnFactorsService, subjectOf } from './own-factors.service';

@ApiTags('The customer\'s own account and factors')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly sessions: SessionService,
    private readonly factors: FactorService,
    private readonly own: OwnFactorsService,
  ) {}

  @Get()
  @AllowEnrollScope()
  @ApiOperation({ summary: 'The signed-in customer' })
  async me(@CurrentPrincipal() principal: Principal) {
    const customer = await this.accounts.find(principal.subjectId);
    const { complete, setupRequired } = await this.factors.overview(subjectOf(principal));
    return { id: customer!.id, email: customer!.email, createdAt: customer!.createdAt, mfa: { complete, setupRequired } };
  }

  @Post('password')
  @HttpCode(204)
  @RecentSecondFactor()
  @ApiOperation({ summary: 'Change password; every other login of the account is revoked' })
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto) {
    await this.accounts.changePassword(principal.subjectId, body.currentPassword, body.newPassword);
    await this.sessions.revokeAll('customer', principal.subjectId, 'password_changed', { except: principal.sessionId });
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
  revokeSession(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string) {
    return this.sessions.revokeOwn('customer', principal.subjectId, id);
  }

  @Get('factors')
  @AllowEnrollScope()
  @ApiOperation({ summary: 'Factors, recovery-code status, policy and what setup still needs' })
  factorsOverview(@CurrentPrincipal() principal: Principal) {
    return this.own.overview(principal);
  }

  @Post('factors')
  @AllowEnrollScope()
  @NoStore()
  @ApiOperation({ summary: 'Start adding a factor (pending until verified)' })
  enrol(@CurrentPrincipal() principal: Principal, @Body() body: EnrolFactorDto) {
    return this.own.enrol(principal, body);
  }

  @Post('factors/:id/verify')
  @HttpCode(200)
  @AllowEnrollScope()
  @NoStore()
  @ApiOperation({ summary: 'Confirm a pending factor with a code' })
  verifyFactor(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: VerifyFactorDto) {
    return this.own.confirm(principal, id, body.code);
  }

  @Post('factors/:id/resend')
  @HttpCode(202)
  @AllowEnrollScope()
  @ApiOperation({ summary: 'Send a new code for a pending SMS or email factor' })
  resend(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.own.resend(principal, id);
  }

  @Patch('factors/:id')
  @RecentSecondFactor()
  @ApiOperation({ summary: 'Make a factor primary or secondary (roles swap when needed)' })
  changeRole(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: ChangeRoleDto) {
    return this.own.changeRole(principal, id, body);
  }

  @Delete('factors/:id')
  @HttpCode(204)
  @RecentSecondFactor()
  @ApiOperation({ summary: 'Remove a factor' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    await this.own.remove(principal, id);
  }

  @Get('recovery-codes')
  @ApiOperation({ summary: 'How many recovery codes remain' })
  async recoveryCodes(@CurrentPrincipal() principal: Principal) {
    return (await this.factors.overview(subjectOf(principal))).recoveryCodes;
  }

  @Post('recovery-codes')
  @RecentSecondFactor()
  @NoStore()
  @ApiOperation({ summary: 'New recovery codes; the old ones stop working' })
  regenerate(@CurrentPrincipal() principal: Principal, @Client() _client: ClientContext) {
    return this.own.regenerateRecoveryCodes(principal);
  }
}
