import { Body, Delete, Get, HttpCode, Injectable, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { AllowEnrollScope, ClientContext, CurrentPrincipal, Principal, RecentSecondFactor } from '@app/twofactor';
import { Client } from '../common/client-context.decorator';
import { ApiErrors, CheckStartedDoc, EnrolStartedDoc } from '../common/api-docs';
import { NoStore } from '../common/no-store.decorator';
import { RateLimit } from '../throttling/rate-limit';
import { ChangeRoleDto, EnrolFactorDto, factorAnswerOf, StepUpVerifyDto, VerifyFactorDto } from './me.dto';
import { OwnFactorsService } from './own-factors.service';

/**
 * The routes a signed-in subject uses to manage their own factors and recovery codes. Customers
 * (`/me`) and staff (`/admin/me`) get the same routes by extending this class; the realm comes from
 * the token, and each realm's policy decides which factors are allowed.
 */
@Injectable()
export abstract class OwnFactorsRoutes {
  constructor(protected readonly own: OwnFactorsService) {}

  @Get('factors')
  @AllowEnrollScope()
  @ApiOperation({ summary: 'Factors, recovery-code status, policy and what setup still needs' })
  factorsOverview(@CurrentPrincipal() principal: Principal) {
    return this.own.overview(principal);
  }

  @Post('factors')
  @RateLimit('account')
  @AllowEnrollScope()
  @NoStore()
  @ApiErrors([400, 'validation_failed', 'invalid_phone'], [403, 'recent_mfa_required'], [409, 'primary_exists', 'factor_exists'], [422, 'email_not_allowed_as_primary', 'factor_type_not_allowed'], [429, 'resend_too_soon'])
  @ApiResponse({ status: 201, type: EnrolStartedDoc })
  @ApiOperation({ summary: 'Start adding a factor (pending until verified): a secret to scan, a code sent, or a passkey\'s creation options' })
  enrol(@CurrentPrincipal() principal: Principal, @Body() body: EnrolFactorDto, @Client() client: ClientContext) {
    return this.own.enrol(principal, body, client);
  }

  @Post('factors/:id/verify')
  @RateLimit('account')
  @HttpCode(200)
  @AllowEnrollScope()
  @NoStore()
  @ApiErrors([401, 'invalid_code', 'invalid_credential', 'code_expired'], [404, 'factor_not_found'], [409, 'primary_exists', 'factor_exists'], [423, 'mfa_locked'], [429, 'too_many_requests'], [503, 'factor_key_unavailable'])
  @ApiOperation({
    summary: 'Confirm a pending factor with a code or a passkey\'s credential (completing setup with an enroll token answers a session), '
      + 'or re-confirm an active one after /check: it is then marked used and its channel healthy',
  })
  verifyFactor(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: VerifyFactorDto, @Client() client: ClientContext) {
    return this.own.confirm(principal, id, factorAnswerOf(body), client);
  }

  @Post('factors/:id/resend')
  @RateLimit('account')
  @HttpCode(202)
  @AllowEnrollScope()
  @ApiErrors([404, 'factor_not_found'], [409, 'factor_not_pending'], [429, 'resend_too_soon'])
  @ApiOperation({ summary: 'Send a new code for a pending SMS or email factor' })
  resend(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.own.resend(principal, id);
  }

  @Post('factors/:id/check')
  @RateLimit('account')
  @HttpCode(202)
  @ApiErrors([404, 'factor_not_found'], [429, 'resend_too_soon'])
  @ApiResponse({ status: 202, type: CheckStartedDoc })
  @ApiOperation({
    summary: 'Re-confirm an active factor (one flagged in `attention`): SMS and email get a code, answered as resend; '
      + 'a passkey gets request options bound to this check; answering at /factors/:id/verify marks the factor used and its channel healthy',
  })
  check(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.own.startCheck(principal, id);
  }

  @Patch('factors/:id')
  @RecentSecondFactor()
  @ApiErrors([403, 'recent_mfa_required'], [404, 'factor_not_found'], [409, 'primary_required', 'secondary_required'], [422, 'email_not_allowed_as_primary', 'factor_type_not_allowed'])
  @ApiOperation({ summary: 'Make a factor primary or secondary (roles swap when needed)' })
  changeRole(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: ChangeRoleDto, @Client() client: ClientContext) {
    return this.own.changeRole(principal, id, body, client);
  }

  @Delete('factors/:id')
  @HttpCode(204)
  @RecentSecondFactor()
  @ApiErrors([403, 'recent_mfa_required'], [404, 'factor_not_found'], [409, 'secondary_required', 'primary_required'])
  @ApiOperation({ summary: 'Remove a factor' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Client() client: ClientContext) {
    await this.own.remove(principal, id, client);
  }

  @Post('step-up')
  @HttpCode(200)
  @NoStore()
  @RateLimit('mfa')
  @ApiOperation({ summary: 'Start proving a second factor again (for changes that need a recent one): answers like mfa_required' })
  @ApiErrors([423, 'mfa_locked'])
  stepUp(@CurrentPrincipal() principal: Principal, @Client() client: ClientContext) {
    return this.own.stepUp(principal, client);
  }

  @Post('step-up/verify')
  @HttpCode(200)
  @RateLimit('mfa')
  @ApiOperation({ summary: 'Answer the step-up with a code (send one first with /auth/mfa/challenge for SMS or email)' })
  @ApiErrors([401, 'invalid_code', 'invalid_credential', 'code_expired', 'mfa_token_invalid'], [404, 'factor_not_found'], [423, 'mfa_locked'], [503, 'factor_key_unavailable'])
  completeStepUp(@CurrentPrincipal() principal: Principal, @Body() body: StepUpVerifyDto, @Client() client: ClientContext) {
    return this.own.completeStepUp(principal, body, client);
  }

  @Get('recovery-codes')
  @ApiOperation({ summary: 'How many recovery codes remain' })
  async recoveryCodes(@CurrentPrincipal() principal: Principal) {
    return (await this.own.overview(principal)).recoveryCodes;
  }

  @Post('recovery-codes')
  @RecentSecondFactor()
  @NoStore()
  @ApiErrors([403, 'recent_mfa_required'])
  @ApiOperation({ summary: 'New recovery codes; the old ones stop working' })
  regenerate(@CurrentPrincipal() principal: Principal, @Client() client: ClientContext) {
    return this.own.regenerateRecoveryCodes(principal, client);
  }
}
