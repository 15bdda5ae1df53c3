import { Logger } from '@nestjs/common';
import { DeliveryLogger } from '../delivery-logger';
import { EmailTransport } from '../email.transport';
import { DeliveryResult, OutgoingEmail } from '../outgoing-message';
import { DevOutbox, maskRecipient } from './outbox';

/** Development stand-in for SMTP: keeps the email in the dev outbox instead of sending it. */
export class OutboxEmailTransport extends EmailTransport {
  constructor(
    private readonly outbox: DevOutbox,
    private readonly logger: Pick<DeliveryLogger, 'log'> = new Logger(OutboxEmailTransport.name),
  ) {
    super();
  }

  send(message: OutgoingEmail): Promise<DeliveryResult> {
    const stored = this.outbox.put({
      channel: 'email',
      to: message.to,
      subject: message.subject,
      body: message.text,
      ...(message.html ? { html: message.html } : {}),
    });
    // Never the subject or body: either may hold the one-time code.
    this.logger.log(`Email to ${maskRecipient(message.to)} put in the dev outbox; read it at GET /dev/outbox`);
    return Promise.resolve({ provider: 'outbox', providerId: stored.id, status: 'captured' });
  }
}
