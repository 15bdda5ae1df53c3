import { INestApplication, ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/app.config';
import { installBodyParsing } from './common/body-parsing';
import { createValidationPipe } from './common/validation';
import { setupOpenApi } from './openapi';
import { serveAdminConsole } from './admin-console';

/** Everything main.ts and the e2e tests both apply to the Nest application. */
export function configureApp(app: INestApplication): INestApplication {
  const express = app as NestExpressApplication;
  express.set('trust proxy', app.get(AppConfig).trustProxy);
  express.disable('x-powered-by');
  installBodyParsing(app);
  app.useGlobalPipes(createValidationPipe());
  app.enableCors({ exposedHeaders: ['Content-Range', 'Retry-After'] });
  app.enableShutdownHooks();
  setupOpenApi(app);
  serveAdminConsole(app);
  return app;
}

export async function createApp(): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  return configureApp(app);
}

/** For tests: the same application with some providers replaced. */
export async function createTestApp(overrides: { provide: unknown; useValue: unknown }[] = [], extra: ModuleMetadata = {}): Promise<INestApplication> {
  let builder = Test.createTestingModule({ imports: [AppModule, ...(extra.imports ?? [])] });
  for (const override of overrides) builder = builder.overrideProvider(override.provide).useValue(override.useValue);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: process.env.TEST_LOGS ? ['error', 'warn'] : false });
  configureApp(app);
  await app.init();
  return app;
}
