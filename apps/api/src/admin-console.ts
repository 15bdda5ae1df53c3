import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';

/** Where `npm run build:admin` puts the console. */
export const ADMIN_DIST = resolve(process.env.ADMIN_DIST ?? join(process.cwd(), 'dist', 'admin'));

/**
 * Serves the React-Admin console at /admin (index) and /admin/assets/*. The console's own routes live
 * after `#`, so they never collide with the back-office API under /admin/*.
 */
export function serveAdminConsole(app: INestApplication): void {
  app.use('/admin/assets', express.static(join(ADMIN_DIST, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || (req.path !== '/admin' && req.path !== '/admin/')) return next();
    // Relative asset URLs and the console's #/ routes need the trailing slash.
    if (req.path === '/admin') return res.redirect(301, '/admin/');
    const index = join(ADMIN_DIST, 'index.html');
    if (!existsSync(index)) return res.status(503).type('text/plain').send('The admin console is not built yet: run `npm run build:admin`.');
    res.setHeader('Cache-Control', 'no-cache');
    return res.sendFile(index);
  });
}
