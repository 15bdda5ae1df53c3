import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Public } from '@app/twofactor';
import type { Response } from 'express';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app.config';

@ApiTags('Operations')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Database and Redis reachability' })
  async health(@Res({ passthrough: true }) res: Response) {
    const database = await this.db.query('SELECT 1').then(() => 'up', () => 'down');
    const redis = this.config.REDIS_URL ? await pingRedis(this.config.REDIS_URL) : 'absent';
    const ok = database === 'up' && redis !== 'down';
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'unavailable', checks: { database, redis } };
  }
}

async function pingRedis(url: string): Promise<'up' | 'down'> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, enableOfflineQueue: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG' ? 'up' : 'down';
  } catch {
    return 'down';
  } finally {
    client.disconnect();
  }
}
