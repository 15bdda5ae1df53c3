import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Public } from '@app/twofactor';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { RedisProbe } from './redis-probe';

@ApiTags('Operations')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly redisProbe: RedisProbe,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Database and Redis reachability' })
  async health(@Res({ passthrough: true }) res: Response) {
    const database = await this.db.query('SELECT 1').then(() => 'up', () => 'down');
    const redis = await this.redisProbe.ping();
    const ok = database === 'up' && redis !== 'down';
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'unavailable', checks: { database, redis } };
  }
}
