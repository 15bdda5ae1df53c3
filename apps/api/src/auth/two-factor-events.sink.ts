import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { NOTIFIED_EVENTS, Realm, SqlStatement, TwoFactorEvent, TwoFactorEvents } from '@app/twofactor';
import { AuditInput, AuditService } from '../audit/audit.service';
import { accountTable } from '../common/realm-tables';
import { MetricsService } from '../metrics/metrics.service';
import { TrustedDevices } from '../devices/trusted-devices.service';
import { SubjectEmails } from '../notifications/subject-emails';
import { NoticeMailer } from '../notifications/notice-mailer';
import { OutboxWriter } from '../notifications/outbox/outbox.writer';

/**
 * What the library reports becomes an audit event (in the same transaction) and, for the events that
 * matter, a notice to the subject: an outbox row of the same transaction, sent once it commits.
 */
@Injectable()
export class TwoFactorEventsSink extends TwoFactorEvents {
  constructor(
    private readonly audit: AuditService,
    private readonly emails: SubjectEmails,
    private readonly notices: NoticeMailer,
    private readonly metrics: MetricsService,
    private readonly devices: TrustedDevices,
    private readonly outbox: OutboxWriter,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {
    super();
  }

  async record(event: TwoFactorEvent): Promise<void> {
    await this.recordAll([event]);
  }

  /**
   * The audit rows in one INSERT; when the subject must be told, the same statement reads the
   * address the notice goes to (one round trip on the sign-in path, not two).
   */
  override async recordAll(events: TwoFactorEvent[]): Promise<void> {
    const manager = this.txHost.tx;
    events.forEach((event) => this.countAttempt(event));
    // A lock means someone is guessing codes: no remembered device may then bypass the second factor.
    // Here because a lock happens inside the library's code check, and this is where the app hears of it.
    for (const event of events) {
      if (event.type === 'mfa.locked' && event.realm === 'customer') await this.devices.revokeAll(event.subjectId, 'mfa_locked', event.ip ?? null);
    }
    const insert = this.audit.insertStatement(events.map(auditInput));
    const notified = events.filter((event) => NOTIFIED_EVENTS.has(event.type));
    if (!notified.length) return void (await manager.query(insert.sql, insert.params));
    const { realm, subjectId } = notified[0];
    if (notified.some((event) => event.realm !== realm || event.subjectId !== subjectId)) {
      await manager.query(insert.sql, insert.params);
      for (const event of notified) await this.notify(event, await this.emails.emailOf(event.realm, event.subjectId));
      return;
    }
    const [row] = await manager.query(
      `WITH audit AS (${insert.sql}) SELECT email FROM ${accountTable(realm)} WHERE id = $${insert.params.length + 1}`,
      [...insert.params, subjectId],
    );
    for (const event of notified) await this.notify(event, row?.email ?? null);
  }

  /** The subject's login email, for the sign-in's read (the library's one-write path). */
  override noticeAddressSql(realm: Realm, subjectIdSql: string): string {
    return `(SELECT email FROM ${accountTable(realm)} WHERE id = ${subjectIdSql})`;
  }

  /**
   * A sign-in's events as statements the library folds into its write: the audit rows and, with the
   * address it read, the notice's outbox row. Null (recordAll then) when a lock must also end the
   * subject's remembered devices, or when an address to tell was not read.
   */
  override statementsFor(events: TwoFactorEvent[], noticeAddress: string | null | undefined): SqlStatement[] | null {
    if (events.some((event) => event.type === 'mfa.locked')) return null;
    const notified = events.filter((event) => NOTIFIED_EVENTS.has(event.type));
    if (notified.length && (noticeAddress === undefined || notified.some((event) => event.subjectId !== notified[0].subjectId))) return null;
    const { sql, params } = this.audit.insertStatement(events.map(auditInput));
    const statements: SqlStatement[] = [{ sql, params }];
    for (const event of notified) {
      const job = noticeAddress ? this.notices.noticeJob(noticeAddress, event) : null;
      if (job) statements.push(this.outbox.insertStatement(job));
    }
    return statements;
  }

  override committed(events: TwoFactorEvent[]): void {
    events.forEach((event) => this.countAttempt(event));
  }

  /** The notice is an outbox row in the same transaction: sent only if the change it announces commits. */
  private async notify(event: TwoFactorEvent, email: string | null): Promise<void> {
    if (email) await this.notices.send(email, event);
  }

  private countAttempt(event: TwoFactorEvent): void {
    if (event.type !== 'mfa.succeeded' && event.type !== 'mfa.failed') return;
    const method = typeof event.data?.method === 'string' ? event.data.method : 'unknown';
    this.metrics.secondFactorAttempt(event.realm, method, event.type === 'mfa.succeeded' ? 'success' : 'failure');
  }
}

function auditInput(event: TwoFactorEvent): AuditInput {
  return {
    type: event.type,
    actor: event.actor ?? { type: event.realm, id: event.subjectId },
    subject: { type: event.realm, id: event.subjectId },
    ip: event.ip,
    reason: event.reason,
    data: event.data,
  };
}
