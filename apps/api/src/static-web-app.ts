import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';

export interface StaticWebApp {
  /** The URL prefix, e.g. `/admin`. */
  prefix: string;
  /** The folder Vite built the app into (holds index.html and assets/). */
  dist: string;
  /** The npm script that builds it, named in the 503 answer while it is missing. */
  buildScript: string;
}

/**
 * Serves a Vite single-page app at `<prefix>/` (its index) and `<prefix>/assets/*`. The apps' own
 * routes live after `#`, so they never collide with API routes under the same prefix.
 */
export function serveStaticWebApp(app: INestApplication, { prefix, dist, buildScript }: StaticWebApp): void {
  // Built asset names carry a content hash: cache them for good.
  app.use(`${prefix}/assets`, express.static(join(dist, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || (req.path !== prefix && req.path !== `${prefix}/`)) return next();
    // Relative asset URLs and the apps' #/ routes need the trailing slash.
    if (req.path === prefix) return res.redirect(301, `${prefix}/`);
    const index = join(dist, 'index.html');
    if (!existsSync(index)) return res.status(503).type('text/plain').send(`This page is not built yet: run \`npm run ${buildScript}\`.`);
    // The index names the current asset hashes: always revalidate it.
    res.setHeader('Cache-Control', 'no-cache');
    return res.sendFile(index);
  });
}
