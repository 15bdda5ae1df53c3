import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock, FactorReadModel, FactorService, FactorSummary, FactorType } from '@app/twofactor';
import { TrustedDevices, TrustedDeviceView } from '../devices/trusted-devices.service';
import { validationFailed } from '../common/validation';
import { adminError } from './admin.errors';
import { containsPattern, ListQuery, ListSpec } from '../common/list-query';
import { isUuid } from '@app/twofactor';

export interface CustomerRow {
  id: string;
  email: string;
  createdAt: Date;
  lastLoginAt: Date | null;
  mfaComplete: boolean;
  primaryType: FactorType | null;
  secondaryTypes: FactorType[];
  recoveryCodesRemaining: number;
  lockedUntil: Date | null;
}

export interface CustomerDetail extends CustomerRow {
  factors: FactorSummary[];
  /** Remembered devices that may still skip the second factor. */
  devices: TrustedDeviceView[];
}

export type CustomerSortField = 'id' | 'email' | 'createdAt' | 'lastLoginAt';

export const CUSTOMER_LIST: ListSpec<CustomerSortField> = {
  sortFields: ['id', 'email', 'createdAt', 'lastLoginAt'],
  defaultSort: ['createdAt', 'DESC'],
  // primaryType: one of the customer policy's primary types, checked by the directory (the policy is configuration).
  filters: { q: 'string', id: 'ids', mfaComplete: 'boolean', primaryType: 'string', missingSecondary: 'boolean', locked: 'boolean', atRisk: 'boolean' },
};

// Each sort has an index that yields rows already in order, so a page is read, not sorted.
const ORDER: Record<CustomerSortField, Record<'ASC' | 'DESC', string>> = {
  id: { ASC: 'c.id ASC', DESC: 'c.id DESC' },
  email: { ASC: 'c.email ASC', DESC: 'c.email DESC' },
  createdAt: { ASC: 'c.created_at ASC, c.id ASC', DESC: 'c.created_at DESC, c.id DESC' },
  lastLoginAt: { ASC: 'c.last_login_at ASC NULLS FIRST, c.id ASC', DESC: 'c.last_login_at DESC NULLS LAST, c.id DESC' },
};

// mfa_primary_type and mfa_secondary_count are the database-maintained summary of the customer's
// active factors (see the BackOffice migration): filters and counts read one table and one index.
const HAS_PRIMARY = 'c.mfa_primary_type IS NOT NULL';
const HAS_SECONDARY = 'c.mfa_secondary_count > 0';

/**
 * One failure away from a lockout: a customer with factors of whom one channel is failing, or who has
 * a single factor at all (lose that phone and only support can help). Read from the summary columns
 * the database keeps on each customer (mfa_failing_count: see the SupportResetGuardrails migration).
 */
export const AT_RISK = `((c.mfa_primary_type IS NOT NULL OR c.mfa_secondary_count > 0)
  AND ((c.mfa_primary_type IS NOT NULL)::int + c.mfa_secondary_count <= 1 OR c.mfa_failing_count > 0))`;

// The derived columns, computed only for the rows of the page; `now` is the placeholder of the current time.
// The factor columns come from the library's read model: one statement for a paginated, filtered list.
const rowColumns = (now: string) => `
  c.id, c.email, c.created_at, c.last_login_at, c.mfa_primary_type AS primary_type,
  ${FactorReadModel.sql.activeSecondaryTypes('customer', 'c.id')} AS secondary_types,
  ${FactorReadModel.sql.liveRecoveryCodeCount('customer', 'c.id')} AS recovery_codes_remaining,
  ${FactorReadModel.sql.lockedUntil('customer', 'c.id', now)} AS locked_until`;

interface RawRow {
  id: string;
  email: string;
  created_at: Date | string;
  last_login_at: Date | string | null;
  primary_type: FactorType | null;
  secondary_types: FactorType[] | string;
  recovery_codes_remaining: number | string;
  locked_until: Date | string | null;
}

/** The back office's read side over customers: the searchable list and one customer's detail. */
@Injectable()
export class CustomerDirectory {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly factors: FactorService,
    private readonly clock: Clock,
    private readonly devices: TrustedDevices,
  ) {}

  async list(query: ListQuery<CustomerSortField>): Promise<{ rows: CustomerRow[]; total: number }> {
    const params: unknown[] = [];
    const where = this.conditions(query.filter, params);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const order = ORDER[query.sort.field][query.sort.order];
    const n = params.length;
    const pageParams = [...params, query.limit, query.offset, this.clock.now()];
    const count = async () => ((await this.txHost.tx.query(`SELECT count(*)::int AS total FROM customers c ${whereSql}`, params)) as { total: number }[])[0].total;

    if (isIndexedSearch(query.filter.q)) {
      // A search matches few rows: find them all first (trigram index), then sort that handful.
      // Left to itself the planner may walk the sort order's index and filter 100 000 rows.
      const rows = (await this.txHost.tx.query(
        `WITH matches AS MATERIALIZED (SELECT c.* FROM customers c ${whereSql})
         SELECT ${rowColumns(`$${n + 3}`)}, c.total
         FROM (SELECT c.*, count(*) OVER () AS total FROM matches c ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}) c
         ORDER BY ${order}`,
        pageParams,
      )) as (RawRow & { total: string | number })[];
      const total = rows.length ? Number(rows[0].total) : query.offset === 0 ? 0 : await count();
      return { rows: rows.map((row) => this.toRow(row)), total };
    }

    const [rows, total] = await Promise.all([
      this.txHost.tx.query(
        `SELECT ${rowColumns(`$${n + 3}`)}
         FROM (SELECT c.* FROM customers c ${whereSql} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}) c
         ORDER BY ${order}`,
        pageParams,
      ) as Promise<RawRow[]>,
      count(),
    ]);
    return { rows: rows.map((row) => this.toRow(row)), total };
  }

  async row(customerId: string): Promise<CustomerRow> {
    const [row] = (await this.txHost.tx.query(`SELECT ${rowColumns('$2')} FROM customers c WHERE c.id = $1`, [customerId, this.clock.now()])) as RawRow[];
    if (!row) throw adminError('customer_not_found');
    return this.toRow(row);
  }

  async detail(customerId: string): Promise<CustomerDetail> {
    const row = await this.row(customerId);
    const { factors } = await this.factors.overview({ realm: 'customer', subjectId: customerId });
    return { ...row, factors, devices: await this.devices.list(customerId) };
  }

  /** 404 unless the customer exists. */
  async assertExists(customerId: string): Promise<void> {
    const [row] = await this.txHost.tx.query(`SELECT 1 FROM customers WHERE id = $1`, [customerId]);
    if (!row) throw adminError('customer_not_found');
  }

  /** A type customers may have as primary, else the 400 a bad filter gets from parseListQuery. */
  private primaryTypeFilter(type: string): string {
    const allowed = this.factors.policy('customer').primaryTypes;
    if (allowed.includes(type)) return type;
    throw validationFailed('filter.primaryType', `primaryType must be one of ${allowed.join(', ')}`);
  }

  private conditions(filter: ListQuery<CustomerSortField>['filter'], params: unknown[]): string[] {
    const add = (value: unknown) => `$${params.push(value)}`;
    let now: string | undefined;
    const nowRef = () => (now ??= add(this.clock.now()));
    const where: string[] = [];
    const secondaryRequired = this.factors.policy('customer').secondaryRequired;
    const complete = secondaryRequired ? `(${HAS_PRIMARY} AND ${HAS_SECONDARY})` : HAS_PRIMARY;
    const missingSecondary = `(${HAS_PRIMARY} AND NOT ${HAS_SECONDARY})`;

    if (typeof filter.q === 'string' && filter.q.trim()) {
      const q = filter.q.trim().toLowerCase();
      // A pasted id finds that customer; anything else is a piece of the (lower-cased) email.
      where.push(isUuid(q) ? `c.id = ${add(q)}` : `c.email LIKE ${add(containsPattern(q))}`);
    }
    if (Array.isArray(filter.id)) where.push(`c.id = ANY(${add(filter.id)}::uuid[])`);
    if (typeof filter.primaryType === 'string') where.push(`c.mfa_primary_type = ${add(this.primaryTypeFilter(filter.primaryType))}`);
    if (typeof filter.mfaComplete === 'boolean') where.push(filter.mfaComplete ? complete : `NOT ${complete}`);
    if (typeof filter.missingSecondary === 'boolean') where.push(filter.missingSecondary ? missingSecondary : `NOT ${missingSecondary}`);
    if (typeof filter.atRisk === 'boolean') where.push(filter.atRisk ? AT_RISK : `NOT ${AT_RISK}`);
    if (typeof filter.locked === 'boolean') {
      // Driven from the (small) locks table: a few primary-key lookups, not a pass over customers.
      const locked = `c.id IN ${FactorReadModel.sql.lockedSubjects('customer', nowRef())}`;
      where.push(filter.locked ? locked : `NOT ${locked}`);
    }
    return where;
  }

  private toRow(row: RawRow): CustomerRow {
    const secondaryTypes = typeof row.secondary_types === 'string' ? (JSON.parse(row.secondary_types) as FactorType[]) : row.secondary_types;
    const secondaryRequired = this.factors.policy('customer').secondaryRequired;
    return {
      id: row.id,
      email: row.email,
      createdAt: new Date(row.created_at),
      lastLoginAt: row.last_login_at === null ? null : new Date(row.last_login_at),
      mfaComplete: row.primary_type !== null && (!secondaryRequired || secondaryTypes.length > 0),
      primaryType: row.primary_type,
      secondaryTypes,
      recoveryCodesRemaining: Number(row.recovery_codes_remaining),
      lockedUntil: row.locked_until === null ? null : new Date(row.locked_until),
    };
  }
}

/** Three characters make a trigram: shorter searches cannot use the index and stay on the normal path. */
function isIndexedSearch(q: unknown): boolean {
  return typeof q === 'string' && q.trim().length >= 3 && !isUuid(q.trim());
}
