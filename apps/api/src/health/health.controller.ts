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
  @ApiOperation({ summary: 'Database and Redis reachability: 503 when either is down (for monitoring)' })
  async health(@Res({ passthrough: true }) res: Response) {
    const database = await this.database();
    const redis = await this.redisProbe.ping();
    const ok = database === 'up' && redis !== 'down';
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'unavailable', checks: { database, redis } };
  }

  /**
   * For a load balancer: can this instance sign people in? Only the database decides. Without Redis,
   * sign-in keeps working (limits fall back to per instance, deliveries to in-process), so an outage of
   * Redis must not take every instance out of rotation at once, as following /health would.
   */
  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'Readiness for a load balancer: 503 only when the database is down (Redis down degrades, it does not stop sign-in)' })
  async ready(@Res({ passthrough: true }) res: Response) {
    const database = await this.database();
    res.status(database === 'up' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: database === 'up' ? 'ok' : 'unavailable', checks: { database } };
  }

  /** For a process supervisor: the process serves HTTP. Touches nothing, so an outage elsewhere never restarts it. */
  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers HTTP' })
  live() {
    return { status: 'ok' };
  }

  private database(): Promise<'up' | 'down'> {
    return this.db.query('SELECT 1').then(() => 'up' as const, () => 'down' as const);
  }
}
