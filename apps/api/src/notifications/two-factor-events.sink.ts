import { Injectable } from '@nestjs/common';
import { NOTIFIED_EVENTS, TwoFactorEvent, TwoFactorEvents } from '@app/twofactor';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { MetricsService } from '../metrics/metrics.service';
import { afterCommit } from '../database/after-commit';
import { TrustedDevices } from '../devices/trusted-devices.service';
import { SubjectEmails } from './subject-emails';
import { NoticeMailer } from './notice-mailer';

/**
 * What the library reports becomes an audit event (in the same transaction) and, for the events that
 * matter, a notice to the subject (once that transaction has committed).
 */
@Injectable()
export class TwoFactorEventsSink extends TwoFactorEvents {
  constructor(
    private readonly audit: AuditService,
    private readonly emails: SubjectEmails,
    private readonly notices: NoticeMailer,
    private readonly metrics: MetricsService,
    private readonly devices: TrustedDevices,
  ) {
    super();
  }

  async record(event: TwoFactorEvent, manager: EntityManager): Promise<void> {
    this.countAttempt(event);
    await this.audit.record(
      {
        type: event.type,
        actor: event.actor ?? { type: event.realm, id: event.subjectId },
        subject: { type: event.realm, id: event.subjectId },
        ip: event.ip,
        reason: event.reason,
        data: event.data,
      },
      manager,
    );
    // A lock means someone is guessing codes: no remembered device may then bypass the second factor.
    // Here because a lock happens inside the library's code check, and this is where the app hears of it.
    if (event.type === 'mfa.locked' && event.realm === 'customer') await this.devices.revokeAll(event.subjectId, 'mfa_locked', manager, event.ip ?? null);
    if (!NOTIFIED_EVENTS.has(event.type)) return;
    const email = await this.emails.emailOf(event.realm, event.subjectId, manager);
    if (email) afterCommit(manager, () => this.notices.send(email, event));
  }

  private countAttempt(event: TwoFactorEvent): void {
    if (event.type !== 'mfa.succeeded' && event.type !== 'mfa.failed') return;
    const method = typeof event.data?.method === 'string' ? event.data.method : 'unknown';
    this.metrics.secondFactorAttempt(event.realm, method, event.type === 'mfa.succeeded' ? 'success' : 'failure');
  }
}
