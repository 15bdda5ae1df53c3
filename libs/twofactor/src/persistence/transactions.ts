import { DynamicModule, Provider, Type } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import { DataSource } from 'typeorm';

/**
 * The one transaction host. Services inject `TransactionHost<TransactionalAdapterTypeOrm>` (the class
 * itself, so Nest can inject it): `txHost.tx` is the EntityManager of the transaction under way (or the
 * data source's own when none is), `txHost.withTransaction(fn)` opens one or joins the caller's. No
 * signature carries a manager, so no statement can slip outside its caller's transaction (on embedded
 * PGlite, one session, such a statement would wait forever).
 *
 * What the host app imports once, next to its TypeORM module: a global ClsModule with the transactional
 * plugin over its DataSource. The library's services and the host's then share one TransactionHost, so a
 * host transaction (signing in) and the library's writes (spending the code) are one transaction.
 */
export function transactionHostModule(dataSourceToken: Type<DataSource> | string | symbol = DataSource): DynamicModule {
  return withoutAppEnhancers(
    ClsModule.forRoot({
      global: true,
      plugins: [new ClsPluginTransactional({ adapter: new TransactionalAdapterTypeOrm({ dataSourceToken }) })],
    }),
  );
}

/**
 * ClsModule registers a global guard and a global interceptor even when neither is mounted (the context
 * here is opened by each transaction, not per request). Unmounted they do nothing, but a global
 * interceptor alone puts every request through Nest's interceptor pipeline (rxjs observables and an
 * AsyncResource per request): about 4% of a sign-in's CPU. They are left out; nothing else changes.
 */
function withoutAppEnhancers(module: DynamicModule): DynamicModule {
  return {
    ...module,
    providers: module.providers?.filter((provider) => !isAppEnhancer(provider)),
    imports: module.imports?.map((imported) => (isDynamicModule(imported) ? withoutAppEnhancers(imported) : imported)),
  };
}

function isAppEnhancer(provider: Provider): boolean {
  return typeof provider === 'object' && (provider.provide === APP_GUARD || provider.provide === APP_INTERCEPTOR);
}

function isDynamicModule(imported: unknown): imported is DynamicModule {
  return typeof imported === 'object' && imported !== null && 'module' in imported;
}
