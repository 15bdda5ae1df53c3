import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { serveStaticWebApp } from './static-web-app';

/** Where `npm run build:admin` puts the console. */
export const ADMIN_DIST = resolve(process.env.ADMIN_DIST ?? join(process.cwd(), 'dist', 'admin'));

/**
 * Serves the React-Admin console at /admin (index) and /admin/assets/*. The console's own routes live
 * after `#`, so they never collide with the back-office API under /admin/*.
 */
export function serveAdminConsole(app: INestApplication): void {
  serveStaticWebApp(app, { prefix: '/admin', dist: ADMIN_DIST, buildScript: 'build:admin' });
}
