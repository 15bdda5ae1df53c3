import { randomUUID } from 'node:crypto';
import { Clock, SystemClock } from '../../clock/clock';

export type OutboxChannel = 'sms' | 'email';

export interface OutboxMessage {
  id: string;
  channel: OutboxChannel;
  to: string;
  subject?: string;
  /** SMS body or the email's text part. */
  body: string;
  html?: string;
  createdAt: Date;
}

export interface DevOutboxOptions {
  /** How many messages to keep; older ones are dropped. */
  capacity?: number;
  clock?: Clock;
}

export interface OutboxFilter {
  channel?: OutboxChannel;
  to?: string;
}

/**
 * Where the dev transports put messages when no SMTP server or Twilio account is configured,
 * so a developer can read codes at `GET /dev/outbox`. In memory and bounded: it must never grow
 * without limit in a long-running dev server.
 */
export class DevOutbox {
  private readonly messages: OutboxMessage[] = [];
  private readonly capacity: number;
  private readonly clock: Clock;

  constructor(options: DevOutboxOptions = {}) {
    this.capacity = options.capacity ?? 200;
    this.clock = options.clock ?? new SystemClock();
  }

  put(message: Omit<OutboxMessage, 'id' | 'createdAt'>): OutboxMessage {
    const stored: OutboxMessage = { ...message, id: randomUUID(), createdAt: this.clock.now() };
    this.messages.push(stored);
    if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
    return stored;
  }

  /** Newest first; `to` matches case-insensitively. */
  list(filter: OutboxFilter = {}): OutboxMessage[] {
    const to = filter.to?.toLowerCase();
    return this.messages
      .filter((m) => (!filter.channel || m.channel === filter.channel) && (!to || m.to.toLowerCase() === to))
      .reverse();
  }

  clear(): void {
    this.messages.length = 0;
  }
}

/** Enough of an address to tell messages apart in a log line, without writing it out in full. */
export function maskRecipient(to: string): string {
  const at = to.indexOf('@');
  if (at > 0) return `${to[0]}•••${to.slice(at)}`;
  return to.length > 4 ? `•••${to.slice(-3)}` : '•••';
}
