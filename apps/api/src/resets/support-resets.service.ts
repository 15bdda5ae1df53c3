import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock, RandomSource } from '@app/twofactor';
import { QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app.config';
import { adminError } from '../support/admin.errors';
import { CustomerSupportService, SupportRequest } from '../support/customer-support.service';
import type { ListQuery, ListSpec } from '../common/list-query';
import type { StaffActing } from '../staff/staff-actors';
import { SubjectEmails } from '../notifications/subject-emails';
import { ResetNotices } from './reset-notices';
import { resetError } from './resets.errors';
import { ResetCanceller, ResetStatus, RESET_STATUSES, SupportReset } from './support-reset.entity';

/** An unapproved request dies after a day: an approval much later is not the same decision. */
export const APPROVAL_WINDOW_MS = 24 * 3600_000;

export interface PendingReset {
  id: string;
  customerId: string;
  customerEmail: string | null;
  requestedBy: string;
  requestedByEmail: string | null;
  approvedBy: string | null;
  approvedByEmail: string | null;
  reason: string;
  verification: string;
  createdAt: Date;
  approvedAt: Date | null;
  executesAt: Date | null;
  status: ResetStatus;
  approvalExpiresAt: Date;
  executedAt: Date | null;
  cancelledAt: Date | null;
  cancelledBy: ResetCanceller | null;
  cancelReason: string | null;
}

export type ResetSortField = 'createdAt' | 'executesAt' | 'status';

export const RESET_LIST: ListSpec<ResetSortField> = {
  sortFields: ['createdAt', 'executesAt', 'status'],
  defaultSort: ['createdAt', 'DESC'],
  filters: { status: RESET_STATUSES, customerId: 'uuid', id: 'ids' },
};

// The status as of `now`: a request left unapproved past its deadline reads as expired even before
// the runner's next sweep writes it down.
export const STATUS_AT = (now: string) => `CASE WHEN r.status = 'awaiting_approval' AND r.approval_expires_at <= ${now} THEN 'expired' ELSE r.status END`;

const SELECT = (now: string) => `
  SELECT r.*, ${STATUS_AT(now)} AS effective_status, c.email AS customer_email, rq.email AS requested_by_email, ap.email AS approved_by_email
  FROM support_resets r
  LEFT JOIN customers c ON c.id = r.customer_id
  LEFT JOIN staff rq ON rq.id = r.requested_by
  LEFT JOIN staff ap ON ap.id = r.approved_by`;

const ORDER: Record<ResetSortField, string> = { createdAt: 'r.created_at', executesAt: 'r.executes_at', status: 'effective_status' };

export function hashCancelToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The guardrails around a whole reset of a customer's factors — the help desk is the usual way around
 * two-factor sign-in. A request needs a second supervisor's approval, then waits
 * SUPPORT_RESET_DELAY_SECONDS while the customer, told on every channel, can stop it. Every step is
 * audited in the transaction that makes it.
 */
@Injectable()
export class SupportResetsService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly support: CustomerSupportService,
    private readonly audit: AuditService,
    private readonly notices: ResetNotices,
    private readonly emails: SubjectEmails,
    private readonly config: AppConfig,
    private readonly random: RandomSource,
    private readonly clock: Clock,
  ) {}

  async request(customerId: string, request: Required<SupportRequest>): Promise<PendingReset> {
    const id = await this.txHost
      .withTransaction(async () => {
        const manager = this.txHost.tx;
        // The customer row lock serialises requests for one customer: the open-request check holds.
        const [customer] = await manager.query(`SELECT id FROM customers WHERE id = $1 FOR UPDATE`, [customerId]);
        if (!customer) throw adminError('customer_not_found');
        const now = this.clock.now();
        const [open] = await manager.query(
          `SELECT 1 FROM support_resets r WHERE r.customer_id = $1 AND ${STATUS_AT('$2')} IN ('awaiting_approval', 'scheduled')`,
          [customerId, now],
        );
        if (open) throw resetError('reset_already_pending');
        // A lapsed request still holds the one-open-request index until written down as expired.
        await this.expireLapsed({ customerId });
        const reset = await manager.save(
          manager.create(SupportReset, {
            customerId, requestedBy: request.actor.id, reason: request.reason, verification: request.verification,
            status: 'awaiting_approval', createdAt: now, approvalExpiresAt: new Date(now.getTime() + APPROVAL_WINDOW_MS),
          }),
        );
        await this.record('support_reset.requested', reset, request, { verification: request.verification });
        await this.audit.record({ ...this.event('support.identity_verified', reset, request), data: { action: 'support_reset.requested', resetId: reset.id, verification: request.verification } });
        return reset.id;
      })
      .catch((error: unknown) => {
        if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23505') throw resetError('reset_already_pending');
        throw error;
      });
    return this.get(id);
  }

  /**
   * The second supervisor's decision. With no delay configured the reset runs in the same transaction;
   * otherwise the customer is told how to stop it.
   */
  async approve(resetId: string, by: StaffActing): Promise<PendingReset> {
    const outcome = await this.txHost.withTransaction(async () => {
      const manager = this.txHost.tx;
      const reset = await this.lockedReset(resetId);
      const now = this.clock.now();
      if (reset.status === 'awaiting_approval' && reset.approvalExpiresAt <= now) {
        await this.markExpired(reset);
        // Returned, not thrown: the expiry is written down even though the approval fails.
        return { error: resetError('reset_expired') };
      }
      if (reset.status === 'expired') return { error: resetError('reset_expired') };
      if (reset.status !== 'awaiting_approval') return { error: resetError('reset_not_awaiting_approval') };
      // Four eyes: the supervisor who took the call cannot also approve it.
      if (reset.requestedBy === by.actor.id) return { error: resetError('four_eyes_required') };

      const executesAt = new Date(now.getTime() + this.config.SUPPORT_RESET_DELAY_SECONDS * 1000);
      // Hex, not base64url: no hyphen, so no run of six digits in it can read as a sign-in code.
      const cancelToken = `rc_${this.random.bytes(32).toString('hex')}`;
      Object.assign(reset, { status: 'scheduled', approvedBy: by.actor.id, approvedAt: now, executesAt, cancelTokenHash: hashCancelToken(cancelToken) });
      await manager.update(SupportReset, { id: reset.id }, {
        status: reset.status, approvedBy: reset.approvedBy, approvedAt: now, executesAt, cancelTokenHash: reset.cancelTokenHash,
      });
      await this.record('support_reset.approved', reset, by, { executesAt: executesAt.toISOString(), requestedBy: reset.requestedBy });
      if (executesAt <= now) await this.execute(reset);
      else await this.notices.announce(reset.customerId, executesAt, cancelToken);
      return { ok: true };
    });
    if ('error' in outcome) throw outcome.error;
    return this.get(resetId);
  }

  async cancelByStaff(resetId: string, request: SupportRequest): Promise<PendingReset> {
    await this.txHost.withTransaction(async () => {
      const reset = await this.lockedReset(resetId);
      await this.cancel(reset, { type: 'staff', id: request.actor.id }, request.reason, request);
    });
    return this.get(resetId);
  }

  /** The customer, signed in with a factor they still have, stops a pending reset of their account. */
  async cancelByCustomer(customerId: string, ip: string | null): Promise<{ id: string; status: ResetStatus; cancelledAt: Date }> {
    return this.txHost.withTransaction(async () => {
      const manager = this.txHost.tx;
      const [row] = (await manager.query(
        `SELECT id FROM support_resets r WHERE customer_id = $1 AND ${STATUS_AT('$2')} IN ('awaiting_approval', 'scheduled') FOR UPDATE`,
        [customerId, this.clock.now()],
      )) as { id: string }[];
      if (!row) throw resetError('no_pending_reset');
      const reset = await this.lockedReset(row.id);
      const actor = { actor: { type: 'customer' as const, id: customerId }, ip };
      await this.cancel(reset, { type: 'customer', id: customerId, via: 'session' }, null, actor);
      return { id: reset.id, status: reset.status, cancelledAt: reset.cancelledAt! };
    });
  }

  /** The one-time token from the notice: works once, and only while the reset is still to come. */
  async cancelByToken(cancelToken: string, ip: string | null): Promise<{ id: string; status: ResetStatus; cancelledAt: Date }> {
    const outcome = await this.txHost.withTransaction(async () => {
      const manager = this.txHost.tx;
      const [row] = (await manager.query(`SELECT id FROM support_resets WHERE cancel_token_hash = $1 FOR UPDATE`, [hashCancelToken(cancelToken)])) as { id: string }[];
      const reset = row ? await this.lockedReset(row.id) : null;
      if (!reset || reset.status !== 'scheduled') return { error: resetError('cancel_token_invalid') };
      const actor = { actor: { type: 'customer' as const, id: reset.customerId }, ip };
      await this.cancel(reset, { type: 'customer', id: reset.customerId, via: 'cancel_token' }, null, actor);
      return { id: reset.id, status: reset.status, cancelledAt: reset.cancelledAt! };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome;
  }

  /** What GET /me shows: a reset the customer can still stop. */
  async pendingFor(customerId: string): Promise<{ id: string; status: ResetStatus; executesAt: Date | null } | null> {
    const [row] = (await this.txHost.tx.query(
      `SELECT id, status, executes_at FROM support_resets r WHERE customer_id = $1 AND ${STATUS_AT('$2')} IN ('awaiting_approval', 'scheduled')`,
      [customerId, this.clock.now()],
    )) as { id: string; status: ResetStatus; executes_at: Date | string | null }[];
    return row ? { id: row.id, status: row.status, executesAt: row.executes_at === null ? null : new Date(row.executes_at) } : null;
  }

  async get(resetId: string): Promise<PendingReset> {
    const [row] = (await this.txHost.tx.query(`${SELECT('$2')} WHERE r.id = $1`, [resetId, this.clock.now()])) as RawReset[];
    if (!row) throw resetError('reset_not_found');
    return toPendingReset(row);
  }

  async list(query: ListQuery<ResetSortField>): Promise<{ rows: PendingReset[]; total: number }> {
    const params: unknown[] = [];
    const add = (value: unknown) => `$${params.push(value)}`;
    let now: string | undefined;
    const nowRef = () => (now ??= add(this.clock.now()));
    const where: string[] = [];
    if (typeof query.filter.status === 'string') where.push(`${STATUS_AT(nowRef())} = ${add(query.filter.status)}`);
    if (typeof query.filter.customerId === 'string') where.push(`r.customer_id = ${add(query.filter.customerId)}`);
    if (Array.isArray(query.filter.id)) where.push(`r.id = ANY(${add(query.filter.id)}::uuid[])`);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // Counted before the page's own parameters are added: every parameter of a statement must be used.
    const [{ total }] = (await this.txHost.tx.query(`SELECT count(*)::int AS total FROM support_resets r ${whereSql}`, [...params])) as { total: number }[];
    const rows = (await this.txHost.tx.query(
      `${SELECT(nowRef())} ${whereSql} ORDER BY ${ORDER[query.sort.field]} ${query.sort.order} NULLS LAST, r.id ${query.sort.order} LIMIT ${add(query.limit)} OFFSET ${add(query.offset)}`,
      params,
    )) as RawReset[];
    return { rows: rows.map(toPendingReset), total };
  }

  /**
   * Runs a reset whose time has come, in the caller's transaction (which holds its row lock): the same
   * code path as any support reset — factors, recovery codes and logins gone, audited, customer told.
   */
  async execute(reset: SupportReset): Promise<void> {
    const now = this.clock.now();
    const requester = await this.emails.emailOf('staff', reset.requestedBy);
    await this.support.applyReset(reset.customerId, { actor: { type: 'staff', id: reset.requestedBy, email: requester }, ip: null, reason: reset.reason });
    Object.assign(reset, { status: 'executed', executedAt: now });
    await this.txHost.tx.update(SupportReset, { id: reset.id }, { status: 'executed', executedAt: now, cancelTokenHash: null });
    await this.record('support_reset.executed', reset, { actor: { type: 'system', id: null }, ip: null }, { approvedBy: reset.approvedBy, requestedBy: reset.requestedBy });
  }

  /** Writes down the requests whose approval window closed (all, or one customer's). */
  async expireLapsed(scope: { customerId?: string } = {}): Promise<number> {
    const rows = (await this.txHost.tx.query(
      `SELECT id FROM support_resets WHERE status = 'awaiting_approval' AND approval_expires_at <= $1 AND ($2::uuid IS NULL OR customer_id = $2::uuid)
       ORDER BY approval_expires_at LIMIT 100 FOR UPDATE SKIP LOCKED`,
      [this.clock.now(), scope.customerId ?? null],
    )) as { id: string }[];
    for (const { id } of rows) await this.markExpired(await this.lockedReset(id));
    return rows.length;
  }

  private async markExpired(reset: SupportReset): Promise<void> {
    reset.status = 'expired';
    await this.txHost.tx.update(SupportReset, { id: reset.id }, { status: 'expired' });
    await this.record('support_reset.expired', reset, { actor: { type: 'system', id: null }, ip: null }, {});
  }

  private async cancel(reset: SupportReset, by: ResetCanceller, reason: string | null, actor: Acting): Promise<void> {
    const now = this.clock.now();
    const open = reset.status === 'scheduled' || (reset.status === 'awaiting_approval' && reset.approvalExpiresAt > now);
    if (!open) throw resetError('reset_not_cancellable');
    Object.assign(reset, { status: 'cancelled', cancelledAt: now, cancelledBy: by, cancelReason: reason });
    await this.txHost.tx.update(SupportReset, { id: reset.id }, { status: 'cancelled', cancelledAt: now, cancelledBy: by, cancelReason: reason, cancelTokenHash: null });
    await this.record('support_reset.cancelled', reset, { ...actor, reason }, { by: by.type, via: by.via ?? null });
  }

  private async lockedReset(resetId: string): Promise<SupportReset> {
    const reset = await this.txHost.tx.findOne(SupportReset, { where: { id: resetId }, lock: { mode: 'pessimistic_write' } });
    if (!reset) throw resetError('reset_not_found');
    return reset;
  }

  private async record(type: string, reset: SupportReset, acting: Acting & { reason?: string | null }, data: Record<string, unknown>) {
    await this.audit.record({ ...this.event(type, reset, acting), data: { resetId: reset.id, status: reset.status, ...data } });
  }

  private event(type: string, reset: SupportReset, acting: Acting & { reason?: string | null }) {
    return { type, actor: acting.actor, subject: { type: 'customer' as const, id: reset.customerId }, ip: acting.ip, reason: acting.reason === undefined ? reset.reason : acting.reason };
  }
}

interface Acting {
  actor: { type: 'customer' | 'staff' | 'system'; id: string | null; email?: string | null };
  ip: string | null;
}

interface RawReset {
  id: string;
  customer_id: string;
  customer_email: string | null;
  requested_by: string;
  requested_by_email: string | null;
  approved_by: string | null;
  approved_by_email: string | null;
  reason: string;
  verification: string;
  effective_status: ResetStatus;
  created_at: Date | string;
  approval_expires_at: Date | string;
  approved_at: Date | string | null;
  executes_at: Date | string | null;
  executed_at: Date | string | null;
  cancelled_at: Date | string | null;
  cancelled_by: ResetCanceller | string | null;
  cancel_reason: string | null;
}

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

function toPendingReset(row: RawReset): PendingReset {
  return {
    id: row.id,
    customerId: row.customer_id,
    customerEmail: row.customer_email,
    requestedBy: row.requested_by,
    requestedByEmail: row.requested_by_email,
    approvedBy: row.approved_by,
    approvedByEmail: row.approved_by_email,
    reason: row.reason,
    verification: row.verification,
    createdAt: new Date(row.created_at),
    approvedAt: date(row.approved_at),
    executesAt: date(row.executes_at),
    status: row.effective_status,
    approvalExpiresAt: new Date(row.approval_expires_at),
    executedAt: date(row.executed_at),
    cancelledAt: date(row.cancelled_at),
    cancelledBy: typeof row.cancelled_by === 'string' ? (JSON.parse(row.cancelled_by) as ResetCanceller) : row.cancelled_by,
    cancelReason: row.cancel_reason,
  };
}
