import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { SecretBox } from '@app/twofactor';
import { AuditService } from '../audit/audit.service';
import { openMessage } from '../notifications/outbox/sealed-message';
import { OutboxWriter } from '../notifications/outbox/outbox.writer';
import { StaffActing } from '../staff/staff-actors';
import { adminError } from '../support/admin.errors';
import { DeliveryDto } from './deliveries.dto';
import { ListQuery, ListSpec } from '../common/list-query';

export const DELIVERY_LIST: ListSpec<'createdAt'> = {
  sortFields: ['createdAt'],
  defaultSort: ['createdAt', 'DESC'],
  filters: { customerId: 'uuid', status: ['pending', 'enqueued', 'sending', 'sent', 'delivered', 'failed', 'expired'], channel: ['sms', 'email'], kind: ['code', 'notice'] },
  maxPageSize: 200,
};

const COLUMNS = `d.id, d.subject_id, d.realm, d.channel, d.kind, d.purpose, d.recipient_hint, d.status, d.last_error, d.provider_status,
  d.attempts, d.created_at, d.sent_at, d.updated_at, d.resent_from,
  (d.kind = 'notice' AND d.status = 'failed' AND d.payload IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM message_deliveries r WHERE r.resent_from = d.id)) AS resendable`;

interface Row {
  id: string; subject_id: string | null; realm: string | null; channel: string; kind: string; purpose: string | null; recipient_hint: string | null;
  status: string; last_error: string | null; provider_status: string | null; attempts: number; created_at: Date; sent_at: Date | null;
  updated_at: Date; resent_from: string | null; resendable: boolean;
}

/** The delivery log for the console, and the re-send of a failed notice. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly box: SecretBox,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditService,
  ) {}

  /** One customer's messages, newest first. */
  async forCustomer(customerId: string, list: ListQuery<'createdAt'>): Promise<{ rows: DeliveryDto[]; total: number }> {
    return this.list(`d.realm = 'customer' AND d.subject_id = $1`, [customerId], list);
  }

  /** Every customer's messages (the dashboard asks for `status: failed`). */
  async all(list: ListQuery<'createdAt'>): Promise<{ rows: DeliveryDto[]; total: number }> {
    return this.list(`(d.realm = 'customer' OR d.realm IS NULL)`, [], list);
  }

  /**
   * Writes a new outbox row with the failed notice's message (re-sealed for the new row), audited in
   * the same transaction. Codes are never re-sent by staff: the customer asks for a fresh one.
   */
  async resend(deliveryId: string, reason: string, by: StaffActing): Promise<DeliveryDto> {
    const newId = await this.txHost.withTransaction(async () => {
      const manager = this.txHost.tx;
      const [failed] = (await manager.query(
        `SELECT id, kind, status, realm, subject_id, factor_id, purpose, recipient_hint, payload FROM message_deliveries
         WHERE id = $1 AND (realm = 'customer' OR realm IS NULL) FOR UPDATE`,
        [deliveryId],
      )) as (Pick<Row, 'id' | 'kind' | 'status' | 'realm' | 'subject_id' | 'purpose' | 'recipient_hint'> & { factor_id: string | null; payload: string | null })[];
      if (!failed) throw adminError('delivery_not_found');
      if (failed.kind !== 'notice' || failed.status !== 'failed' || !failed.payload) throw adminError('delivery_not_resendable');
      const [again] = await manager.query(`SELECT 1 FROM message_deliveries WHERE resent_from = $1`, [deliveryId]);
      if (again) throw adminError('delivery_already_resent');
      const job = openMessage(this.box, failed.id, failed.payload);
      await this.outbox.add(
        {
          ...job,
          kind: 'notice',
          subject: failed.realm && failed.subject_id ? { realm: failed.realm as 'customer', subjectId: failed.subject_id } : undefined,
          hint: failed.recipient_hint ?? undefined,
          meta: { ...(failed.purpose ? { purpose: failed.purpose } : {}), ...(failed.factor_id ? { factorId: failed.factor_id } : {}) },
        },
        failed.id,
      );
      await this.audit.record(
        {
          type: 'delivery.resent', actor: by.actor, subject: { type: 'customer', id: failed.subject_id }, ip: by.ip, reason,
          data: { deliveryId: failed.id },
        },
      );
      return this.resentId(failed.id);
    });
    const [row] = await this.rows(`d.id = $1`, [newId], 'd.created_at DESC', 1, 0);
    return row;
  }

  private async resentId(deliveryId: string): Promise<string> {
    const [row] = (await this.txHost.tx.query(`SELECT id FROM message_deliveries WHERE resent_from = $1`, [deliveryId])) as { id: string }[];
    return row.id;
  }

  private async list(where: string, params: unknown[], list: ListQuery<'createdAt'>): Promise<{ rows: DeliveryDto[]; total: number }> {
    const conditions = [where];
    const values = [...params];
    const columns = { customerId: 'subject_id', status: 'status', channel: 'channel', kind: 'kind' } as const;
    for (const [key, column] of Object.entries(columns)) {
      if (typeof list.filter[key] === 'string') {
        values.push(list.filter[key]);
        conditions.push(`d.${column} = $${values.length}`);
      }
    }
    const clause = conditions.join(' AND ');
    const [{ total }] = (await this.txHost.tx.query(`SELECT count(*)::int AS total FROM message_deliveries d WHERE ${clause}`, values)) as { total: number }[];
    const order = `d.created_at ${list.sort.order}, d.id ${list.sort.order}`;
    return { rows: await this.rows(clause, values, order, list.limit, list.offset), total };
  }

  private async rows(where: string, values: unknown[], order: string, limit: number, offset: number): Promise<DeliveryDto[]> {
    const rows = (await this.txHost.tx.query(
      `SELECT ${COLUMNS} FROM message_deliveries d WHERE ${where} ORDER BY ${order} LIMIT ${Number(limit)} OFFSET ${Number(offset)}`,
      values,
    )) as Row[];
    return rows.map(toDto);
  }
}

function toDto(row: Row): DeliveryDto {
  const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
  return {
    id: row.id, customerId: row.realm === 'customer' ? row.subject_id : null, channel: row.channel, kind: row.kind, purpose: row.purpose,
    recipient: row.recipient_hint, status: row.status, reason: row.last_error, providerStatus: row.provider_status, attempts: row.attempts,
    createdAt: iso(row.created_at)!, sentAt: iso(row.sent_at), updatedAt: iso(row.updated_at)!, resentFrom: row.resent_from, resendable: row.resendable,
  };
}
