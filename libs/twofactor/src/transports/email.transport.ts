import { DeliveryResult, OutgoingEmail } from './outgoing-message';

/** Port for sending email; an abstract class so it doubles as a Nest DI token. */
export abstract class EmailTransport {
  abstract send(message: OutgoingEmail): Promise<DeliveryResult>;
}
