import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiLoginAnswer, ChallengeStartedDoc, TokenPairDoc } from '../common/api-docs';
import { ClientContext, Public } from '@app/twofactor';
import { AccountsService } from '../accounts/accounts.service';
import { RateLimit } from '../throttling/rate-limit';
import { CustomerLoginDto, CustomerVerifyDto, RegisterDto } from '../auth/auth.dto';
import { PasswordResetService } from '../password-reset/password-reset.service';
import { SessionService } from '../auth/session.service';
import { SignInService } from '../auth/sign-in.service';
import { TokenService } from '../auth/token.service';
import { PasswordProof, SignInRoutes } from './sign-in.routes';

const CustomerSignInRoutes = SignInRoutes({
  realm: 'customer',
  path: 'auth',
  loginBody: CustomerLoginDto,
  verifyBody: CustomerVerifyDto,
  docs: {
    login: {
      summary: 'Password step: answers mfa_required or mfa_setup_required, or signed_in with a live deviceToken; many failures for one email make strangers wait (429)',
      answers: [ApiLoginAnswer(), ApiErrors([401, 'invalid_credentials'], [423, 'mfa_locked'], [429, 'too_many_requests'])],
    },
    challenge: {
      summary: 'Choose a factor for this sign-in; SMS and email send a code (202), a passkey answers its request options',
      answers: [
        ApiErrors([401, 'mfa_token_invalid'], [404, 'factor_not_found'], [423, 'mfa_locked'], [429, 'resend_too_soon', 'too_many_requests']),
        ApiResponse({ status: 200, type: ChallengeStartedDoc, description: 'TOTP, or a passkey with its request options' }),
        ApiResponse({ status: 202, type: ChallengeStartedDoc, description: 'SMS or email: a code was sent' }),
      ],
    },
    verify: {
      summary: 'Second-factor step: a code, a passkey\'s credential or a recovery code; answers a TokenPair. With a password reset\'s mfaToken, newPassword is required and set',
      answers: [
        ApiOkResponse({ type: TokenPairDoc }),
        ApiErrors(
          [400, 'validation_failed'], [401, 'invalid_code', 'invalid_credential', 'code_expired', 'mfa_token_invalid', 'reset_token_invalid'], [404, 'factor_not_found'],
          [423, 'mfa_locked'], [429, 'too_many_requests'], [503, 'factor_key_unavailable'],
        ),
      ],
    },
    refresh: {
      summary: 'Rotate a refresh token',
      answers: [ApiOkResponse({ type: TokenPairDoc }), ApiErrors([401, 'refresh_token_invalid', 'refresh_token_reused', 'session_expired'])],
    },
    logout: { summary: 'End this login' },
  },
});

/** Customer sign-in (/auth/*), plus what only customers have: registration, remembered devices, password reset, the JWKS. */
@ApiTags('Customer authentication')
@Controller()
export class AuthController extends CustomerSignInRoutes {
  constructor(
    signIn: SignInService,
    sessions: SessionService,
    private readonly accounts: AccountsService,
    private readonly tokens: TokenService,
    private readonly resets: PasswordResetService,
  ) {
    super(signIn, sessions);
  }

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
  @Get('.well-known/jwks.json')
  @ApiOperation({ summary: 'Public keys that verify access tokens' })
  jwks() {
    return this.tokens.jwks();
  }

  protected async checkPassword(body: CustomerLoginDto, client: ClientContext): Promise<PasswordProof> {
    const customer = await this.accounts.authenticate(body.email, body.password, { ...client, deviceToken: body.deviceToken });
    return { subjectId: customer.id, deviceToken: body.deviceToken };
  }

  // A password reset's mfaToken ends here too: the reset service tells the two apart.
  protected override secondFactor(body: CustomerVerifyDto, client: ClientContext) {
    return this.resets.answer(body, client);
  }
}
