import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { Realm } from '../guards/principal';

/**
 * Serialises everything that reads and then writes one subject's second-factor state (counting
 * failures, checking send caps, changing factors) until the transaction ends. Without it, requests
 * sent at the same moment would all pass a "fewer than N failures" check before any of them counted.
 * A transaction-scoped advisory lock: held by the database, so it works across API instances.
 */
export async function lockSubject(txHost: TransactionHost<TransactionalAdapterTypeOrm>, realm: Realm, subjectId: string): Promise<void> {
  await txHost.tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`mfa:${realm}:${subjectId}`]);
}
