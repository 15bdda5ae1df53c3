import { Controller, Get, NotFoundException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DevOutbox, Public } from '@app/twofactor';
import { AppConfig } from '../config/app.config';

/**
 * The messages the dev transports captured, so a newcomer can sign in without Twilio or SMTP.
 * It exists only outside production and only while a channel has no real provider.
 */
@ApiTags('Development')
@Controller('dev/outbox')
export class DevOutboxController {
  constructor(
    private readonly outbox: DevOutbox,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Captured SMS and email messages, newest first (development only)' })
  list() {
    if (!this.config.devOutboxEnabled) throw new NotFoundException();
    return { messages: this.outbox.list() };
  }
}
