import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiLoginAnswer, ChallengeStartedDoc, TokenPairDoc } from '../common/api-docs';
import { AllowEnrollScope, ClientContext, CurrentPrincipal, Principal, Public } from '@app/twofactor';
import type { Response } from 'express';
import { AccountsService } from '../accounts/accounts.service';
import { NoStore } from '../common/no-store.decorator';
import { RateLimit } from '../throttling/rate-limit';
import { ChallengeDto, CustomerLoginDto, CustomerVerifyDto, LogoutDto, RefreshDto, RegisterDto } from './auth.dto';
import { Client } from './client-context.decorator';
import { PasswordResetService } from '../password-reset/password-reset.service';
import { SessionService } from './session.service';
import { SignInService } from './sign-in.service';
import { TokenService } from './token.service';

@ApiTags('Customer authentication')
@Controller()
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly signIn: SignInService,
    private readonly sessions: SessionService,
    private readonly tokens: TokenService,
    private readonly resets: PasswordResetService,
  ) {}

  @Public()
  @Post('auth/register')
  @RateLimit('account')
  @ApiErrors([400, 'validation_failed'], [409, 'email_taken'], [429, 'too_many_requests'])
  @ApiOperation({ summary: 'Create a customer account' })
  async register(@Body() body: RegisterDto) {
    const customer = await this.accounts.register(body.email, body.password);
    return { id: customer.id, email: customer.email };
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @NoStore()
  @RateLimit('login')
  @ApiLoginAnswer()
  @ApiErrors([401, 'invalid_credentials'], [423, 'mfa_locked'], [429, 'too_many_requests'])
  @ApiOperation({ summary: 'Password step: answers mfa_required or mfa_setup_required, or signed_in with a live deviceToken; many failures for one email make strangers wait (429)' })
  async login(@Body() body: CustomerLoginDto, @Client() client: ClientContext) {
    const customer = await this.accounts.authenticate(body.email, body.password, { ...client, deviceToken: body.deviceToken });
    return this.signIn.afterPassword('customer', customer.id, client, body.deviceToken);
  }

  @Public()
  @Post('auth/mfa/challenge')
  @RateLimit('mfa')
  @ApiErrors([401, 'mfa_token_invalid'], [404, 'factor_not_found'], [423, 'mfa_locked'], [429, 'resend_too_soon', 'too_many_requests'])
  @ApiResponse({ status: 200, type: ChallengeStartedDoc, description: 'TOTP, or a passkey with its request options' })
  @ApiResponse({ status: 202, type: ChallengeStartedDoc, description: 'SMS or email: a code was sent' })
  @ApiOperation({ summary: 'Choose a factor for this sign-in; SMS and email send a code (202), a passkey answers its request options' })
  async challenge(@Body() body: ChallengeDto, @Res({ passthrough: true }) res: Response) {
    const answer = await this.signIn.challenge('customer', body.mfaToken, body.factorId);
    res.status('sentTo' in answer && answer.sentTo ? 202 : 200);
    return answer;
  }

  @Public()
  @Post('auth/mfa/verify')
  @HttpCode(200)
  @NoStore()
  @RateLimit('mfa')
  @ApiOkResponse({ type: TokenPairDoc })
  @ApiErrors(
    [400, 'validation_failed'], [401, 'invalid_code', 'invalid_credential', 'code_expired', 'mfa_token_invalid', 'reset_token_invalid'], [404, 'factor_not_found'],
    [423, 'mfa_locked'], [429, 'too_many_requests'], [503, 'factor_key_unavailable'],
  )
  @ApiOperation({
    summary: 'Second-factor step: a code, a passkey\'s credential or a recovery code; answers a TokenPair. With a password reset\'s mfaToken, newPassword is required and set',
  })
  verify(@Body() body: CustomerVerifyDto, @Client() client: ClientContext) {
    return this.resets.answer(body, client);
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  @NoStore()
  @RateLimit('account')
  @ApiOkResponse({ type: TokenPairDoc })
  @ApiErrors([401, 'refresh_token_invalid', 'refresh_token_reused', 'session_expired'])
  @ApiOperation({ summary: 'Rotate a refresh token' })
  refresh(@Body() body: RefreshDto, @Client() client: ClientContext) {
    return this.signIn.refresh(body.refreshToken, 'customer', client);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @AllowEnrollScope()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End this login' })
  async logout(@CurrentPrincipal() principal: Principal, @Body() _body: LogoutDto, @Client() client: ClientContext) {
    await this.sessions.logout(principal.sessionId, client);
  }

  @Public()
  @Get('.well-known/jwks.json')
  @ApiOperation({ summary: 'Public keys that verify access tokens' })
  jwks() {
    return this.tokens.jwks();
  }
}
