import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/twofactor';
import type { Response } from 'express';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app.config';
import { MetricsService } from './metrics.service';

@ApiTags('Operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  // Public to the user-token guard: scrapers hold METRICS_TOKEN, not a user's login.
  @Public()
  @Get()
  @ApiBearerAuth()
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus metrics (Bearer METRICS_TOKEN when it is set; production requires it)' })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) res: Response): Promise<string> {
    const expected = this.config.METRICS_TOKEN;
    if (expected && !sameSecret(bearerOf(authorization), expected)) {
      throw new ApiError(401, 'unauthorized', 'A valid metrics token is required.');
    }
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    return this.metrics.registry.metrics();
  }
}

function bearerOf(header: string | undefined): string {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  return match ? match[1].trim() : '';
}

/** Compares digests, so neither the length nor the content of the token leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
