import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { accessTokenStrategy, CurrentPrincipal } from '@app/twofactor';
import type { TokenPrincipal } from '../auth/token-principals';
import { ApiErrors } from '../common/api-docs';

class TokenInfoDoc {
  @ApiProperty({ enum: ['customer'] }) realm: string;
  @ApiProperty({ enum: ['session', 'enroll'] }) scope: string;
  @ApiProperty({ type: [String], example: ['pwd', 'mfa', 'otp'], description: 'How this login was proven (RFC 8176 values)' }) amr: string[];
  @ApiProperty({ format: 'date-time', description: 'When the login was proven' }) authTime: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When this login last proved a second factor' }) mfaAt: string | null;
}

/**
 * What the caller's access token says about their login; nothing secret (no token, no session id).
 * Guarded through Passport on top of the global guard, the way a Nest developer guards their own
 * controller: `AuthGuard(accessTokenStrategy(realm))` puts the same principal on the request.
 */
@ApiTags("The customer's own account and factors")
@ApiBearerAuth()
@UseGuards(AuthGuard(accessTokenStrategy('customer')))
@Controller('me/token-info')
export class TokenInfoController {
  @Get()
  @ApiOperation({ summary: "The signed-in customer's login as the access token shows it: realm, scope, methods, times" })
  @ApiOkResponse({ type: TokenInfoDoc })
  @ApiErrors([401, 'unauthorized'], [403, 'mfa_setup_incomplete'])
  tokenInfo(@CurrentPrincipal() principal: TokenPrincipal) {
    const { realm, scope, amr, authTime, mfaAt } = principal;
    return { realm, scope, amr, authTime, mfaAt };
  }
}
