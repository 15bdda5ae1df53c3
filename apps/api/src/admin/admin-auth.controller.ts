import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AllowEnrollScope, ClientContext, CurrentPrincipal, ForRealm, Principal, Public } from '@app/twofactor';
import type { Response } from 'express';
import { ChallengeDto, LoginDto, LogoutDto, RefreshDto, VerifyDto } from '../auth/auth.dto';
import { Client } from '../auth/client-context.decorator';
import { SessionService } from '../auth/session.service';
import { SignInService } from '../auth/sign-in.service';
import { NoStore } from '../common/no-store.decorator';
import { ApiErrors, ChallengeStartedDoc } from '../common/api-docs';
import { StaffService } from '../staff/staff.service';
import { RateLimit } from '../throttling/rate-limit';
import { AllowSetupPassword } from '../staff/setup-password.guard';

/** Staff sign-in: the customer flow's bodies and answers, in the staff realm (audience `staff`). */
@ApiTags('Back office: staff sign-in')
@ForRealm('staff')
@AllowSetupPassword()
@Controller('admin/auth')
export class AdminAuthController {
  constructor(
    private readonly staff: StaffService,
    private readonly signIn: SignInService,
    private readonly sessions: SessionService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @NoStore()
  @RateLimit('login')
  @ApiErrors([401, 'invalid_credentials', 'setup_password_expired'], [423, 'mfa_locked'], [429, 'too_many_requests'])
  @ApiOperation({ summary: 'Password step: answers mfa_required, or mfa_setup_required until TOTP is enrolled' })
  async login(@Body() body: LoginDto, @Client() client: ClientContext) {
    const member = await this.staff.authenticate(body.email, body.password, client);
    return this.signIn.afterPassword('staff', member.id, client);
  }

  @Public()
  @Post('mfa/challenge')
  @RateLimit('mfa')
  @ApiResponse({ status: 200, type: ChallengeStartedDoc, description: 'TOTP, or a passkey with its request options' })
  @ApiOperation({ summary: 'Choose the factor for this sign-in' })
  async challenge(@Body() body: ChallengeDto, @Res({ passthrough: true }) res: Response) {
    const answer = await this.signIn.challenge('staff', body.mfaToken, body.factorId);
    res.status('sentTo' in answer && answer.sentTo ? 202 : 200);
    return answer;
  }

  @Public()
  @Post('mfa/verify')
  @HttpCode(200)
  @NoStore()
  @RateLimit('mfa')
  @ApiErrors([401, 'invalid_code', 'invalid_credential', 'code_expired', 'mfa_token_invalid'], [404, 'factor_not_found'], [423, 'mfa_locked'])
  @ApiOperation({ summary: 'Second-factor step (TOTP code, passkey credential or recovery code); answers a staff TokenPair' })
  verify(@Body() body: VerifyDto, @Client() client: ClientContext) {
    return this.signIn.verify('staff', body.mfaToken, body.toAnswer(), client);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @NoStore()
  @RateLimit('account')
  @ApiOperation({ summary: 'Rotate a staff refresh token' })
  refresh(@Body() body: RefreshDto, @Client() client: ClientContext) {
    return this.signIn.refresh(body.refreshToken, 'staff', client);
  }

  @Post('logout')
  @HttpCode(204)
  @AllowEnrollScope()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End this staff login' })
  async logout(@CurrentPrincipal() principal: Principal, @Body() _body: LogoutDto, @Client() client: ClientContext) {
    await this.sessions.logout(principal.sessionId, client);
  }
}
