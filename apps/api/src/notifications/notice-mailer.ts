import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DeliveryOutbox, Realm, TwoFactorEvent, TwoFactorEventType } from '@app/twofactor';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app.config';

const SUBJECTS: Partial<Record<TwoFactorEventType, string>> = {
  'factor.activated': 'A sign-in method was added to your account',
  'factor.removed': 'A sign-in method was removed from your account',
  'factor.role_changed': 'Your default sign-in method changed',
  'recovery_codes.generated': 'New recovery codes were created for your account',
  'recovery_code.used': 'A recovery code was used to sign in',
  'mfa.locked': 'Two-factor sign-in to your account is temporarily locked',
  'mfa.reset': 'Your two-factor setup was reset',
};

export interface NoticeContext {
  /** The transaction of the change the notice announces: the notice is sent if and only if it commits. */
  manager?: EntityManager;
  /** Whose account the notice is about (their delivery log in the console). */
  about?: { realm: Realm; subjectId: string };
}

/**
 * Security notices by email. They say what happened and when — never a code, a secret or a full
 * number — so a customer whose account is being tampered with finds out.
 */
@Injectable()
export class NoticeMailer {
  constructor(
    private readonly outbox: DeliveryOutbox,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /**
   * Writes the notice to the outbox. Pass the transaction (`manager`) of the change it announces, so
   * the notice goes out if and only if that change commits; without one it is written on its own.
   */
  async send(to: string, event: TwoFactorEvent, manager: EntityManager = this.db.manager): Promise<void> {
    const subject = SUBJECTS[event.type];
    if (!subject) return;
    await this.notify(to, subject, this.details(event), { manager, about: { realm: event.realm, subjectId: event.subjectId } });
  }

  /**
   * A notice about a change the library does not report (a password change, say). Pass the change's
   * transaction as `manager` (as for send), and whose account it is about, for their delivery log.
   */
  async notify(to: string, subject: string, details: string[] = [], context: NoticeContext = {}): Promise<void> {
    const lines = [
      `${subject}.`,
      '',
      ...details,
      `When: ${new Date().toUTCString()}`,
      '',
      `If this was not you, contact customer services at once. ${this.config.TOTP_ISSUER} will never ask you for a code.`,
    ];
    await this.outbox.add(
      {
        channel: 'email',
        kind: 'notice',
        subject: context.about,
        message: { to, subject, text: lines.join('\n') },
        meta: { purpose: 'notice' },
      },
      context.manager ?? this.db.manager,
    );
  }

  private details(event: TwoFactorEvent): string[] {
    const data = event.data;
    const out: string[] = [];
    if (typeof data.type === 'string') out.push(`Method: ${describeType(data.type)}${typeof data.hint === 'string' && data.type !== 'totp' ? ` (${data.hint})` : ''}`);
    if (event.actor?.type === 'staff') out.push('Done by: our customer services team, at your request');
    if (typeof data.remaining === 'number') out.push(`Recovery codes left: ${data.remaining}`);
    if (typeof data.lockedUntil === 'string') out.push(`Locked until: ${new Date(data.lockedUntil).toUTCString()}`);
    return out;
  }
}

function describeType(type: string): string {
  return ({ totp: 'authenticator app', sms: 'text message', email: 'email' } as Record<string, string>)[type] ?? type;
}
