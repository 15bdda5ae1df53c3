import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowEnrollScope, ClientContext, CurrentPrincipal, Principal, Public } from '@app/twofactor';
import { Client } from '../common/client-context.decorator';
import { ApiErrors } from '../common/api-docs';
import { RateLimit } from '../throttling/rate-limit';
import { resetError } from './resets.errors';
import { CancelledResetDto, ResetCancelTokenDto } from './resets.dto';
import { SupportResetsService } from './support-resets.service';

/** The customer's side of a support reset: they stop it, signed in or with the notice's cancel code. */
@ApiTags("The customer's own account and factors")
@Controller()
export class CustomerResetsController {
  constructor(private readonly resets: SupportResetsService) {}

  @Post('me/pending-reset/cancel')
  @ApiBearerAuth()
  @HttpCode(200)
  // Setup may be unfinished (say, a secondary missing), but a factor must have been passed.
  @AllowEnrollScope()
  @ApiOperation({ summary: 'Stop the support reset pending on my account (signing in with a factor I still have proves it is me)' })
  @ApiOkResponse({ type: CancelledResetDto })
  @ApiErrors([403, 'second_factor_required'], [404, 'no_pending_reset'])
  cancelMine(@CurrentPrincipal() principal: Principal, @Client() client: ClientContext) {
    if (!principal.mfaAt) throw resetError('second_factor_required');
    return this.resets.cancelByCustomer(principal.subjectId, client.ip ?? null);
  }

  @Public()
  @Post('auth/reset-cancel')
  @HttpCode(200)
  @RateLimit('login')
  @ApiOperation({ summary: 'Stop a scheduled support reset with the one-time cancel code from its notice' })
  @ApiOkResponse({ type: CancelledResetDto })
  @ApiErrors([401, 'cancel_token_invalid'], [429, 'too_many_requests'])
  cancelWithToken(@Body() body: ResetCancelTokenDto, @Client() client: ClientContext) {
    return this.resets.cancelByToken(body.cancelToken, client.ip ?? null);
  }
}
