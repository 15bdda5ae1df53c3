import { Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './app.config';
import { AppKeys, loadKeys } from './keys';

/** Configuration and keys, loaded and validated once; tests override AppConfig with their own. */
@Global()
@Module({
  providers: [
    { provide: AppConfig, useFactory: () => loadConfig() },
    { provide: AppKeys, inject: [AppConfig], useFactory: (config: AppConfig) => loadKeys(config) },
  ],
  exports: [AppConfig, AppKeys],
})
export class ConfigModule {}
