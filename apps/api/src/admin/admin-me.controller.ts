import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowEnrollScope, ClientContext, CurrentPrincipal, ForRealm, Principal, RecentSecondFactor } from '@app/twofactor';
import { ChangePasswordDto } from '../auth/auth.dto';
import { Client } from '../auth/client-context.decorator';
import { NoStore } from '../common/no-store.decorator';
import { ChangeRoleDto, EnrolFactorDto, VerifyFactorDto } from '../me/me.dto';
import { OwnFactorsService } from '../me/own-factors.service';
import { StaffActors } from '../staff/staff-actors';
import { StaffService } from '../staff/staff.service';

/** The signed-in member of staff's own account and factors (policy: TOTP primary only). */
@ApiTags('Back office: own account')
@ApiBearerAuth()
@ForRealm('staff')
@Controller('admin/me')
export class AdminMeController {
  constructor(
    private readonly staff: StaffService,
    private readonly own: OwnFactorsService,
    private readonly actors: StaffActors,
  ) {}

  @Get()
  @AllowEnrollScope()
  @ApiOperation({ summary: 'The signed-in member of staff' })
  async me(@CurrentPrincipal() principal: Principal) {
    const { id, email, name, role } = await this.staff.get(principal.subjectId);
    return { id, email, name, role };
  }

  @Post('password')
  @HttpCode(204)
  @RecentSecondFactor()
  @ApiOperation({ summary: 'Change password; every other login of this member of staff is ended' })
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto, @Client() client: ClientContext) {
    const by = await this.actors.of(principal, client);
    await this.staff.changePassword(principal.subjectId, body.currentPassword, body.newPassword, { ...by, sessionId: principal.sessionId });
  }

  @Get('factors')
  @AllowEnrollScope()
  @ApiOperation({ summary: 'Own factors, recovery-code status, policy and what setup still needs' })
  factorsOverview(@CurrentPrincipal() principal: Principal) {
    return this.own.overview(principal);
  }

  @Post('factors')
  @AllowEnrollScope()
  @NoStore()
  @ApiOperation({ summary: 'Start adding a factor (staff: TOTP primary only)' })
  enrol(@CurrentPrincipal() principal: Principal, @Body() body: EnrolFactorDto) {
    return this.own.enrol(principal, body);
  }

  @Post('factors/:id/verify')
  @HttpCode(200)
  @AllowEnrollScope()
  @NoStore()
  @ApiOperation({ summary: 'Confirm a pending factor with a code; completing setup answers a session' })
  verifyFactor(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: VerifyFactorDto) {
    return this.own.confirm(principal, id, body.code);
  }

  @Post('factors/:id/resend')
  @HttpCode(202)
  @AllowEnrollScope()
  @ApiOperation({ summary: 'Send a new code for a pending factor that sends codes' })
  resend(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.own.resend(principal, id);
  }

  @Patch('factors/:id')
  @RecentSecondFactor()
  @ApiOperation({ summary: 'Make a factor primary or secondary' })
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

  @Post('recovery-codes')
  @RecentSecondFactor()
  @NoStore()
  @ApiOperation({ summary: 'New recovery codes; the old ones stop working' })
  regenerate(@CurrentPrincipal() principal: Principal) {
    return this.own.regenerateRecoveryCodes(principal);
  }
}
