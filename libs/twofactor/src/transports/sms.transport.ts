import { DeliveryResult, OutgoingSms } from './outgoing-message';

/** Port for sending SMS; an abstract class so it doubles as a Nest DI token. */
export abstract class SmsTransport {
  abstract send(message: OutgoingSms): Promise<DeliveryResult>;
}
