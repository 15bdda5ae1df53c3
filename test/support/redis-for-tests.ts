import { spawnSync } from 'node:child_process';

export interface RedisForTests {
  url: string;
  /** Why Redis tests are skipped; undefined when they run. */
  skipReason?: string;
}

/**
 * REDIS_URL when set (tests then fail if it is down), else the local 127.0.0.1:6379 when it
 * answers. Decided synchronously, because Jest picks describe or describe.skip at load time.
 */
export function redisForTests(): RedisForTests {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL };
  const url = 'redis://127.0.0.1:6379';
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const s = require('node:net').connect(6379, '127.0.0.1');
       s.setTimeout(1000, () => process.exit(1));
       s.on('connect', () => s.write('PING\\r\\n'));
       s.on('data', (d) => process.exit(String(d).startsWith('+PONG') ? 0 : 1));
       s.on('error', () => process.exit(1));`,
    ],
    { timeout: 3000 },
  );
  return probe.status === 0
    ? { url }
    : { url, skipReason: `Redis tests skipped: REDIS_URL is unset and nothing answers PING at ${url}.` };
}
