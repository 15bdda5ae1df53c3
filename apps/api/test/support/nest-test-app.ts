import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.factory';

/**
 * The production application with some providers replaced. It lives with the tests because
 * @nestjs/testing is a dev dependency: the production image (`npm ci --omit=dev`) does not have it.
 */
export async function createTestApp(overrides: { provide: unknown; useValue: unknown }[] = [], extra: ModuleMetadata = {}): Promise<INestApplication> {
  let builder = Test.createTestingModule({ imports: [AppModule, ...(extra.imports ?? [])] });
  for (const override of overrides) builder = builder.overrideProvider(override.provide).useValue(override.useValue);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: process.env.TEST_LOGS ? ['error', 'warn'] : false });
  configureApp(app);
  await app.init();
  return app;
}
