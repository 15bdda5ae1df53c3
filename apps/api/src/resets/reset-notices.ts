import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DeliveryOutbox, FactorReadModel } from '@app/twofactor';
import { AppConfig } from '../config/app.config';
import { SubjectEmails } from '../notifications/subject-emails';

interface Channels {
  email: string | null;
  emailFactorId: string | null;
  phones: { factorId: string; to: string }[];
}

/**
 * Tells the customer, on every channel they have, that support approved a reset of their two-factor
 * setup and how to stop it. The one-time cancel token travels only in these messages (never logged:
 * the delivery job's meta holds no content).
 */
@Injectable()
export class ResetNotices {
  constructor(
    private readonly outbox: DeliveryOutbox,
    private readonly config: AppConfig,
    private readonly emails: SubjectEmails,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  /** Outbox rows of the approval's transaction: a rolled-back approval announces nothing. */
  async announce(customerId: string, executesAt: Date, cancelToken: string): Promise<void> {
    const channels = await this.channelsOf(customerId);
    const when = executesAt.toUTCString();
    const issuer = this.config.TOTP_ISSUER;
    // The customer pages' sign-in; the security page there offers the cancel. The code is never in a URL.
    const link = `${this.config.publicBaseUrl}/account/`;
    const subject = { realm: 'customer' as const, subjectId: customerId };
    if (channels.email) {
      const text = [
        'Our customer services team approved a request to reset the two-factor sign-in of your account.',
        `It will remove your sign-in methods and recovery codes on ${when}.`,
        '',
        'If you did not ask for this, stop it now: sign in with any method you still have and cancel it on your',
        `security page (${link}), or stop it with this one-time cancel code:`,
        cancelToken,
        '',
        `${issuer} will never ask you for a sign-in code.`,
      ].join('\n');
      await this.outbox.add(
        {
          channel: 'email',
          kind: 'notice',
          subject,
          message: { to: channels.email, subject: 'A reset of your two-factor sign-in is coming', text },
          meta: { purpose: 'reset_notice', ...(channels.emailFactorId ? { factorId: channels.emailFactorId } : {}) },
        },
      );
    }
    for (const phone of channels.phones) {
      const body = `${issuer}: support will reset your two-factor sign-in on ${when}. Not you? Sign in and cancel it, or use cancel code ${cancelToken}`;
      await this.outbox.add({ channel: 'sms', kind: 'notice', subject, message: { to: phone.to, body }, meta: { purpose: 'reset_notice', factorId: phone.factorId } });
    }
  }

  private async channelsOf(customerId: string): Promise<Channels> {
    const email = await this.emails.emailOf('customer', customerId);
    const factors = await FactorReadModel.activeCodeChannels(this.txHost.tx, 'customer', customerId);
    return {
      email,
      emailFactorId: factors.find((factor) => factor.type === 'email')?.id ?? null,
      phones: factors.filter((factor) => factor.type === 'sms' && factor.destination).map((factor) => ({ factorId: factor.id, to: factor.destination! })),
    };
  }
}
