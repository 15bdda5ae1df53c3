import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { AppConfig, ConfigError, loadConfig } from './config/app.config';
import { loadKeys } from './config/keys';

async function bootstrap(): Promise<void> {
  // Checked before Nest starts, so a bad setting is one clear message rather than a framework stack trace.
  loadKeys(loadConfig());
  const app = await createApp();
  const config = app.get(AppConfig);
  await app.listen(config.PORT, '0.0.0.0');
  const url = `http://localhost:${config.PORT}`;
  const logger = new Logger('Twofold');
  logger.log(`Twofold API listening on ${url} (docs: ${url}/docs, console: ${url}/admin/, customer pages: ${url}/account/)`);
  if (config.devOutboxEnabled) logger.log(`Development outbox: codes "sent" by SMS and email are at ${url}/dev/outbox`);
}

bootstrap().catch((error: unknown) => {
  // Configuration problems get a clear message and no stack trace; anything else is a real crash.
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
