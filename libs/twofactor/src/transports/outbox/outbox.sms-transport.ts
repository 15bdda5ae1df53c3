import { Logger } from '@nestjs/common';
import { DeliveryLogger } from '../delivery-logger';
import { DeliveryResult, OutgoingSms } from '../outgoing-message';
import { SmsTransport } from '../sms.transport';
import { DevOutbox, maskRecipient } from './outbox';

/** Development stand-in for Twilio: keeps the SMS in the dev outbox instead of sending it. */
export class OutboxSmsTransport extends SmsTransport {
  constructor(
    private readonly outbox: DevOutbox,
    private readonly logger: Pick<DeliveryLogger, 'log'> = new Logger(OutboxSmsTransport.name),
  ) {
    super();
  }

  send(message: OutgoingSms): Promise<DeliveryResult> {
    const stored = this.outbox.put({ channel: 'sms', to: message.to, body: message.body });
    // Never the body: it holds the one-time code.
    this.logger.log(`SMS to ${maskRecipient(message.to)} put in the dev outbox; read it at GET /dev/outbox`);
    return Promise.resolve({ provider: 'outbox', providerId: stored.id, status: 'captured' });
  }
}
