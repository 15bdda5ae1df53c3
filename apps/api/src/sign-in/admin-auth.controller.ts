import { Controller } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { ClientContext, ForRealm } from '@app/twofactor';
import { LoginDto, VerifyDto } from '../auth/auth.dto';
import { SessionService } from '../auth/session.service';
import { SignInService } from '../auth/sign-in.service';
import { ApiErrors, ChallengeStartedDoc } from '../common/api-docs';
import { StaffService } from '../staff/staff.service';
import { AllowSetupPassword } from '../staff/setup-password.guard';
import { PasswordProof, SignInRoutes } from './sign-in.routes';

const StaffSignInRoutes = SignInRoutes({
  realm: 'staff',
  path: 'admin/auth',
  loginBody: LoginDto,
  verifyBody: VerifyDto,
  docs: {
    login: {
      summary: 'Password step: answers mfa_required, or mfa_setup_required until TOTP is enrolled',
      answers: [ApiErrors([401, 'invalid_credentials', 'setup_password_expired'], [423, 'mfa_locked'], [429, 'too_many_requests'])],
    },
    challenge: {
      summary: 'Choose the factor for this sign-in',
      answers: [ApiResponse({ status: 200, type: ChallengeStartedDoc, description: 'TOTP, or a passkey with its request options' })],
    },
    verify: {
      summary: 'Second-factor step (TOTP code, passkey credential or recovery code); answers a staff TokenPair',
      answers: [ApiErrors([401, 'invalid_code', 'invalid_credential', 'code_expired', 'mfa_token_invalid'], [404, 'factor_not_found'], [423, 'mfa_locked'])],
    },
    refresh: { summary: 'Rotate a staff refresh token' },
    logout: { summary: 'End this staff login' },
  },
});

/** Staff sign-in (/admin/auth/*): the customer flow's bodies and answers, in the staff realm (audience `staff`). */
@ApiTags('Back office: staff sign-in')
@ForRealm('staff')
@AllowSetupPassword()
@Controller()
export class AdminAuthController extends StaffSignInRoutes {
  constructor(
    signIn: SignInService,
    sessions: SessionService,
    private readonly staff: StaffService,
  ) {
    super(signIn, sessions);
  }

  protected async checkPassword(body: LoginDto, client: ClientContext): Promise<PasswordProof> {
    const member = await this.staff.authenticate(body.email, body.password, client);
    return { subjectId: member.id };
  }
}
