import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/app.config';
import { installBodyParsing } from './common/body-parsing';
import { installHttpSecurity } from './common/http-security';
import { createValidationPipe } from './common/validation';
import { setupOpenApi } from './openapi';
import { serveAdminConsole } from './admin-console';
import { httpMetrics } from './metrics/http-metrics.middleware';
import { MetricsService } from './metrics/metrics.service';
import { serveAccountPages } from './account-pages';

/** Everything main.ts and the e2e tests both apply to the Nest application. */
export function configureApp(app: INestApplication): INestApplication {
  const express = app as NestExpressApplication;
  express.set('trust proxy', app.get(AppConfig).trustProxy);
  express.disable('x-powered-by');
  // Express would hash every JSON answer for an ETag; the API's answers are live state, never revalidated by
  // clients (the console's assets are served with their own validators by express.static).
  express.set('etag', false);
  app.use(httpMetrics(app.get(MetricsService)));
  installHttpSecurity(app, app.get(AppConfig));
  installBodyParsing(app);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  setupOpenApi(app);
  serveAdminConsole(app);
  serveAccountPages(app);
  return app;
}

export async function createApp(): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  return configureApp(app);
}
