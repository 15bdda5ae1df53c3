import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowEnrollScope, ClientContext, CurrentPrincipal, ForRealm, Principal, RecentSecondFactor } from '@app/twofactor';
import { ChangePasswordDto } from '../auth/auth.dto';
import { Client } from '../common/client-context.decorator';
import { OwnFactorsRoutes } from '../me/own-factors.routes';
import { OwnFactorsService } from '../me/own-factors.service';
import { StaffActors } from '../staff/staff-actors';
import { StaffService } from '../staff/staff.service';
import { AllowSetupPassword } from '../staff/setup-password.guard';

/** The signed-in member of staff's own account, and (inherited) their factors: policy TOTP primary only. */
@ApiTags('Back office: own account')
@ApiBearerAuth()
@ForRealm('staff')
@AllowSetupPassword()
@Controller('admin/me')
export class AdminMeController extends OwnFactorsRoutes {
  constructor(
    own: OwnFactorsService,
    private readonly staff: StaffService,
    private readonly actors: StaffActors,
  ) {
    super(own);
  }

  @Get()
  @AllowEnrollScope()
  @ApiOperation({ summary: 'The signed-in member of staff' })
  async me(@CurrentPrincipal() principal: Principal) {
    const { id, email, name, role } = await this.staff.get(principal.subjectId);
    return { id, email, name, role, mustChangePassword: await this.staff.usesSetupPassword(principal.subjectId) };
  }

  @Post('password')
  @HttpCode(204)
  @RecentSecondFactor()
  @ApiOperation({ summary: 'Change password; every other login of this member of staff is ended' })
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto, @Client() client: ClientContext) {
    const by = await this.actors.of(principal, client);
    await this.staff.changePassword(principal.subjectId, body.currentPassword, body.newPassword, { ...by, sessionId: principal.sessionId });
  }
}
