import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientContext, Public } from '@app/twofactor';
import { Client } from '../common/client-context.decorator';
import { ApiErrors, MfaRequiredDoc } from '../common/api-docs';
import { NoStore } from '../common/no-store.decorator';
import { RateLimit } from '../throttling/rate-limit';
import { ForgotPasswordDto, ResetPasswordDto } from './password-reset.dto';
import { PasswordResetService } from './password-reset.service';

/** Forgotten passwords. The second step is /auth/mfa/verify with `newPassword`. */
@ApiTags('Customer authentication')
@Controller('auth/password')
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetService) {}

  @Public()
  @Post('forgot')
  @HttpCode(202)
  // The login family's budget: a reset is another way at the same account.
  @RateLimit('login')
  @ApiAcceptedResponse({ description: 'Always `{}`, whether or not the address has an account' })
  @ApiErrors([400, 'validation_failed'], [429, 'too_many_requests'])
  @ApiOperation({ summary: 'Email a one-time reset link (and code) to the account, if there is one' })
  async forgot(@Body() body: ForgotPasswordDto, @Client() client: ClientContext) {
    await this.resets.forgot(body.email, client);
    return {};
  }

  @Public()
  @Post('reset')
  @HttpCode(200)
  @NoStore()
  @RateLimit('login')
  @ApiOkResponse({ type: MfaRequiredDoc, description: 'factors lists the active factors that are not email; recovery codes work as always' })
  @ApiErrors([401, 'reset_token_invalid'], [409, 'reset_unavailable'], [423, 'mfa_locked'], [429, 'too_many_requests'])
  @ApiOperation({ summary: 'Start the second step of a reset; then /auth/mfa/challenge and /auth/mfa/verify with newPassword' })
  reset(@Body() body: ResetPasswordDto, @Client() client: ClientContext) {
    return this.resets.start(body.resetToken, client);
  }
}
