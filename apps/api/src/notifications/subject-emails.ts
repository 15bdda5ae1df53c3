import { Injectable } from '@nestjs/common';
import { Realm } from '@app/twofactor';
import { EntityManager } from 'typeorm';
import { accountTable } from '../common/realm-tables';

/** The login email of a customer or member of staff, read in the caller's transaction. */
@Injectable()
export class SubjectEmails {
  async emailOf(realm: Realm, subjectId: string, manager: EntityManager): Promise<string | null> {
    const [row] = await manager.query(`SELECT email FROM ${accountTable(realm)} WHERE id = $1`, [subjectId]);
    return row?.email ?? null;
  }
}
