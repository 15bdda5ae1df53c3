import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Realm } from '@app/twofactor';
import { accountTable } from '../common/realm-tables';

/** The login email of a customer or member of staff, read in the caller's transaction. */
@Injectable()
export class SubjectEmails {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  async emailOf(realm: Realm, subjectId: string): Promise<string | null> {
    const [row] = await this.txHost.tx.query(`SELECT email FROM ${accountTable(realm)} WHERE id = $1`, [subjectId]);
    return row?.email ?? null;
  }
}
