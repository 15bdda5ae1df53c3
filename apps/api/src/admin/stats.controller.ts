import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ForRealm, MinRole } from '@app/twofactor';
import { StatsService } from './stats.service';

@ApiTags('Back office: dashboard')
@ApiBearerAuth()
@ForRealm('staff')
@MinRole('agent')
@Controller('admin/stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @ApiOperation({ summary: 'Setup, adoption, second-factor outcomes and deliveries (last 24 h and 30 daily buckets, UTC); at-risk customers, failing channels, resets by state' })
  get() {
    return this.stats.stats();
  }
}
