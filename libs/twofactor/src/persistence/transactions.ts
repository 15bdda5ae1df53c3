import { DynamicModule, Type } from '@nestjs/common';
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
  return ClsModule.forRoot({
    global: true,
    plugins: [new ClsPluginTransactional({ adapter: new TransactionalAdapterTypeOrm({ dataSourceToken }) })],
  });
}
