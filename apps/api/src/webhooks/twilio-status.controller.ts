import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiConsumes, ApiForbiddenResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/twofactor';
import { TwilioStatusService } from './twilio-status.service';

@ApiTags('Webhooks')
@Controller('webhooks/twilio')
export class TwilioStatusController {
  constructor(private readonly statuses: TwilioStatusService) {}

  @Public()
  @Post('status')
  @HttpCode(204)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOperation({ summary: 'Twilio message status callback (form-encoded, X-Twilio-Signature checked against PUBLIC_BASE_URL)' })
  @ApiNoContentResponse({ description: 'Recorded (or ignored when it names no known message)' })
  @ApiForbiddenResponse({ description: 'Missing or wrong signature, or Twilio not configured' })
  async status(@Headers('x-twilio-signature') signature: string | undefined, @Body() body: Record<string, unknown>) {
    await this.statuses.handle(signature, body ?? {});
  }
}
