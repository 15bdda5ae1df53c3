import { Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './app.config';
import { AppKeys, loadKeys } from './keys';
import { EmbeddedDatabase } from '../database/embedded-database';

/** Configuration and keys, loaded and validated once; tests override AppConfig with their own. */
@Global()
@Module({
  providers: [
    { provide: AppConfig, useFactory: () => loadConfig() },
    { provide: AppKeys, inject: [AppConfig], useFactory: (config: AppConfig) => loadKeys(config) },
    {
      provide: EmbeddedDatabase,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => (config.DATABASE_URL ? new EmbeddedDatabase() : EmbeddedDatabase.open(config.DATA_DIR)),
    },
  ],
  exports: [AppConfig, AppKeys, EmbeddedDatabase],
})
export class ConfigModule {}
