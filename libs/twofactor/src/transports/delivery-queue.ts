import { EmailTransport } from './email.transport';
import { DeliveryResult, OutgoingEmail, OutgoingSms } from './outgoing-message';
import { SmsTransport } from './sms.transport';

/** `meta` travels with the job to the hooks (e.g. a delivery row id); it is logged, so no secrets. */
export type DeliveryJob =
  | { channel: 'sms'; message: OutgoingSms; meta?: Record<string, string> }
  | { channel: 'email'; message: OutgoingEmail; meta?: Record<string, string> };

export interface DeliveryHooks {
  /** After the provider accepted the message. */
  onDelivered?(result: DeliveryResult, job: DeliveryJob): void | Promise<void>;
  /** Once, after the last attempt failed or the failure cannot be retried. */
  onFailed?(error: Error, job: DeliveryJob): void | Promise<void>;
}

export interface DeliveryTransports {
  sms: SmsTransport;
  email: EmailTransport;
}

/**
 * Sends messages in the background so a slow provider never holds a request; `enqueue` resolves
 * once the job is accepted, not when it is sent.
 */
export abstract class DeliveryQueue {
  abstract enqueue(job: DeliveryJob): Promise<void>;

  /** Jobs accepted but not finished (waiting, running or waiting for a retry): the queue-depth metric. */
  abstract depth(): Promise<number>;

  /** Finishes or hands over the work in progress; called on shutdown. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export function sendJob(job: DeliveryJob, transports: DeliveryTransports): Promise<DeliveryResult> {
  return job.channel === 'sms' ? transports.sms.send(job.message) : transports.email.send(job.message);
}

/** How a job appears in logs: channel and meta only, never the recipient or the content. */
export function describeJob(job: DeliveryJob): string {
  const meta = Object.entries(job.meta ?? {}).map(([key, value]) => `${key}=${value}`);
  return `${job.channel} delivery${meta.length ? ` (${meta.join(', ')})` : ''}`;
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
