import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The one rule for finding the browser, shared by the browser tests and CI (.ci/run): CHROMIUM_PATH when
 * set, else `chromium` on the PATH. Undefined when there is none; under CI that is a failure, not a skip
 * (scripts/test.js fails a CI run with any skipped test).
 */
export function findChromium(): string | undefined {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return existsSync(configured) ? configured : undefined;
  const found = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' });
  const path = found.status === 0 ? found.stdout.trim() : '';
  return path || undefined;
}
