import type { INestApplication } from '@nestjs/common';
import helmet from 'helmet';
import type { AppConfig } from '../config/app.config';

/**
 * The Content-Security-Policy of every answer, the console (/admin/) and the customer pages (/account/)
 * included: everything from our own origin, nothing inline but styles, never framed.
 *
 * style-src allows 'unsafe-inline' because React-Admin and MUI style through emotion, which writes
 * <style> tags at run time; a nonce would need a per-request index.html. Inline *scripts* stay refused,
 * which is what stops an injected script: styles cannot run code.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  // QR codes and MUI icons may arrive as data: URIs.
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // HTTPS is the load balancer's job (and HSTS below): upgrading here would break plain-http development.
  upgradeInsecureRequests: null,
};

/** Security headers (helmet) and CORS, applied once for the whole application. */
export function installHttpSecurity(app: INestApplication, config: AppConfig): void {
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
      // Tokens and codes leave no trace in other sites' logs.
      referrerPolicy: { policy: 'no-referrer' },
      frameguard: { action: 'deny' },
    }),
  );
  // The console and the customer pages are served from this origin, so by default no other origin may
  // call the API from a browser at all. CORS_ORIGINS opens it to named origins only (never "*").
  if (config.corsOrigins.length) {
    app.enableCors({ origin: config.corsOrigins, credentials: false, exposedHeaders: ['Content-Range', 'Retry-After'], maxAge: 600 });
  }
}
