import { Injectable } from '@nestjs/common';
import { DeliveryJob, DeliveryOutbox, FactorRegistry, Realm, TwoFactorEvent, TwoFactorEventType } from '@app/twofactor';
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

/**
 * Every notice is an outbox row written in the transaction under way (the TransactionHost's), the
 * transaction of the change it announces: it is sent if and only if that change commits.
 */
export interface NoticeContext {
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
    private readonly registry: FactorRegistry,
  ) {}

  /** Writes the notice to the outbox, in the transaction of the change it announces (if any: else on its own). */
  async send(to: string, event: TwoFactorEvent): Promise<void> {
    const job = this.noticeJob(to, event);
    if (job) await this.outbox.add(job);
  }

  /** The notice of a library event as an outbox job, for a caller that writes it itself (null: not told). */
  noticeJob(to: string, event: TwoFactorEvent): DeliveryJob | null {
    const subject = SUBJECTS[event.type];
    return subject ? this.noticeOf(to, subject, this.details(event), { realm: event.realm, subjectId: event.subjectId }) : null;
  }

  /**
   * A notice about a change the library does not report (a password change, say), in that change's
   * transaction (as for send), with whose account it is about, for their delivery log.
   */
  async notify(to: string, subject: string, details: string[] = [], context: NoticeContext = {}): Promise<void> {
    await this.outbox.add(this.noticeOf(to, subject, details, context.about));
  }

  /** Changes to the account outside the factor library: a password reset, a trusted device added or removed. */
  async sendAccountNotice(to: string, notice: AccountNotice, context: NoticeContext = {}): Promise<void> {
    await this.notify(to, ACCOUNT_SUBJECTS[notice.type], accountDetails(notice), context);
  }

  /**
   * The reset link itself: the token is the message's purpose, so it is in it (as a link whose token sits
   * in the fragment, never sent to a server, and as text to paste), and nowhere else (meta is logged).
   */
  async sendPasswordReset(to: string, token: string, expiresAt: Date, context: NoticeContext = {}): Promise<void> {
    const subject = 'Reset your password';
    const link = `${this.config.publicBaseUrl}/account/#/reset?token=${encodeURIComponent(token)}`;
    const text = [
      'Someone asked to reset the password of your account. If it was you, open this link:',
      '',
      link,
      '',
      `or paste this reset code into the reset page: ${token}`,
      '',
      `It works once, until ${expiresAt.toUTCString()}. You will also need your authenticator app, your phone or a recovery code.`,
      '',
      `If you did not ask, ignore this email: your password stays as it is. ${this.config.TOTP_ISSUER} will never ask you for a code.`,
    ].join('\n');
    // Carries a secret like a code: never re-sent by staff, not sent once expired, erased once sent.
    await this.outbox.add(
      { channel: 'email', kind: 'code', subject: context.about, expiresAt, message: { to, subject, text }, meta: { purpose: 'password_reset' } },
    );
  }

  private noticeOf(to: string, subject: string, details: string[], about: NoticeContext['about']): DeliveryJob {
    const text = [`${subject}.`, '', ...details, `When: ${new Date().toUTCString()}`, '', this.footer()].join('\n');
    return { channel: 'email', kind: 'notice', subject: about, message: { to, subject, text }, meta: { purpose: 'notice' } };
  }

  private footer(): string {
    return `If this was not you, contact customer services at once. ${this.config.TOTP_ISSUER} will never ask you for a code.`;
  }

  private details(event: TwoFactorEvent): string[] {
    const data = event.data;
    const out: string[] = [];
    if (typeof data.type === 'string') {
      // The factor's own label; its hint too when it says more (a masked number), not when it repeats the label (an app).
      const label = this.registry.has(data.type) ? this.registry.get(data.type).label : data.type;
      out.push(`Method: ${label.toLowerCase()}${typeof data.hint === 'string' && data.hint !== label ? ` (${data.hint})` : ''}`);
    }
    if (event.actor?.type === 'staff') out.push('Done by: our customer services team, at your request');
    if (typeof data.remaining === 'number') out.push(`Recovery codes left: ${data.remaining}`);
    if (typeof data.lockedUntil === 'string') out.push(`Locked until: ${new Date(data.lockedUntil).toUTCString()}`);
    return out;
  }
}

export type AccountNotice =
  | { type: 'password.reset' }
  | { type: 'device.trusted'; label: string; ip: string | null }
  | { type: 'device.revoked'; label: string; byStaff: boolean };

const ACCOUNT_SUBJECTS: Record<AccountNotice['type'], string> = {
  'password.reset': 'Your password was reset',
  'device.trusted': 'A device will be remembered for your account',
  'device.revoked': 'A remembered device was removed from your account',
};

function accountDetails(notice: AccountNotice): string[] {
  switch (notice.type) {
    case 'password.reset':
      return ['Every other sign-in and every remembered device was signed out.'];
    case 'device.trusted':
      return [`Device: ${notice.label}${notice.ip ? ` (IP address ${notice.ip})` : ''}`, 'It can sign in with your password alone until it is removed or expires.'];
    case 'device.revoked':
      return [`Device: ${notice.label}`, ...(notice.byStaff ? ['Done by: our customer services team, at your request'] : [])];
  }
}
