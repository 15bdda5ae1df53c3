import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { serveStaticWebApp } from './static-web-app';

/** Where `npm run build:account` puts the customer's pages. */
export const ACCOUNT_DIST = resolve(process.env.ACCOUNT_DIST ?? join(process.cwd(), 'dist', 'account'));

/** Serves the customer's own pages (sign-in, setup, security) at /account/ and /account/assets/*. */
export function serveAccountPages(app: INestApplication): void {
  serveStaticWebApp(app, { prefix: '/account', dist: ACCOUNT_DIST, buildScript: 'build:account' });
}
