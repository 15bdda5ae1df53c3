import { ISendMailOptions, MailerService } from '@nestjs-modules/mailer';
import { Inject, Injectable } from '@nestjs/common';
import { DeliveryError } from '../delivery-error';
import { EmailTransport } from '../email.transport';
import { DeliveryResult, OutgoingEmail } from '../outgoing-message';

/** The part of MailerService this transport uses, so tests may pass their own. */
export interface MailSender {
  sendMail(options: ISendMailOptions): Promise<{ messageId?: string } | undefined>;
}

/** Sends email through @nestjs-modules/mailer (SMTP_URL); the From address comes from the module's defaults. */
@Injectable()
export class SmtpEmailTransport extends EmailTransport {
  constructor(@Inject(MailerService) private readonly mailer: MailSender) {
    super();
  }

  async send(message: OutgoingEmail): Promise<DeliveryResult> {
    try {
      const info = await this.mailer.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
      });
      return { provider: 'smtp', providerId: info?.messageId, status: 'sent' };
    } catch (error) {
      throw toDeliveryError(error);
    }
  }
}

/** Keeps nodemailer's code and SMTP reply code only: its errors may quote the server's reply. */
function toDeliveryError(error: unknown): DeliveryError {
  const code = field(error, 'code', 'string');
  const status = field(error, 'responseCode', 'number');
  const detail = [code, status].filter((part) => part !== undefined).join(' ');
  return new DeliveryError(`SMTP delivery failed${detail ? ` (${detail})` : ''}`, {
    provider: 'smtp',
    code,
    status,
    // A 5xx reply is permanent and bad credentials will not fix themselves; the rest may pass later.
    retryable: !(code === 'EAUTH' || (status !== undefined && status >= 500)),
  });
}

function field<K extends 'string' | 'number'>(
  error: unknown,
  name: string,
  type: K,
): (K extends 'string' ? string : number) | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as Record<string, unknown>)[name];
  return typeof value === type ? (value as K extends 'string' ? string : number) : undefined;
}
