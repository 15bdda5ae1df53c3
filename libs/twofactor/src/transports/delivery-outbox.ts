import type { Realm } from '../guards/principal';
import { EmailTransport } from './email.transport';
import { DeliveryResult, OutgoingEmail, OutgoingSms } from './outgoing-message';
import { SmsTransport } from './sms.transport';

interface DeliveryJobBase {
  /** A code is never re-sent by staff and never sent past `expiresAt`; a notice may be re-sent. */
  kind?: 'code' | 'notice';
  /** Whose delivery log it belongs to. */
  subject?: { realm: Realm; subjectId: string };
  /** A masked recipient for logs and the console (never the full number or address). */
  hint?: string;
  /** A code's expiry: past it, the message is dropped rather than sent. */
  expiresAt?: Date;
  /** Kept with the delivery (e.g. factorId, purpose); logged, so no secrets. */
  meta?: Record<string, string>;
}

export type DeliveryJob =
  | (DeliveryJobBase & { channel: 'sms'; message: OutgoingSms })
  | (DeliveryJobBase & { channel: 'email'; message: OutgoingEmail });

export interface DeliveryTransports {
  sms: SmsTransport;
  email: EmailTransport;
}

/**
 * The transactional outbox: a message becomes a row written with the TransactionHost's `tx`, in the same transaction
 * as the change that causes it. A worker sends it once that transaction has committed, so a rollback
 * never sends anything and a crash after commit loses nothing. An abstract class, so it is a DI token.
 */
export abstract class DeliveryOutbox {
  abstract add(job: DeliveryJob): Promise<void>;
}

export function sendJob(job: DeliveryJob, transports: DeliveryTransports): Promise<DeliveryResult> {
  return job.channel === 'sms' ? transports.sms.send(job.message) : transports.email.send(job.message);
}
