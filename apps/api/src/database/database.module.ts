import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { transactionHostModule } from '@app/twofactor';
import { AppConfig } from '../config/app.config';
import { ConfigModule } from '../config/config.module';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedDatabase } from './embedded-database';

/** Embedded PostgreSQL (PGlite in DATA_DIR) when no DATABASE_URL is set; tests replace it with their own. */
@Module({
  imports: [ConfigModule],
  providers: [
    {
      provide: EmbeddedDatabase,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => (config.DATABASE_URL ? new EmbeddedDatabase() : EmbeddedDatabase.open(config.DATA_DIR)),
    },
  ],
  exports: [EmbeddedDatabase],
})
export class EmbeddedDatabaseModule {}

/**
 * The database and its one transaction host (TransactionHost, global): every service, the library's
 * included, opens or joins transactions through it and reads the current one as `txHost.tx`.
 */
@Global()
@Module({
  imports: [
    transactionHostModule(),
    TypeOrmModule.forRootAsync({
      imports: [ConfigModule, EmbeddedDatabaseModule],
      inject: [AppConfig, EmbeddedDatabase],
      useFactory: (config: AppConfig, embedded: EmbeddedDatabase) => {
        // The embedded database always migrates itself; PostgreSQL only unless the API runs as a role without DDL.
        return { ...dataSourceOptions(config, embedded.instance), migrationsRun: config.MIGRATE_ON_START || !config.DATABASE_URL };
      },
    }),
  ],
})
export class DatabaseModule {}
