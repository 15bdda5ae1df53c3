// The contract floor's notices: a row written by the sign-in's own statement (so a success is never
// without its notice), sent after commit over pooled SMTP connections, marked sent in batches. No
// poller picks up rows a crash left behind: that would be work the floor does not need in a bench, so
// the floor stays at or below the least a durable outbox costs.
import { connect } from 'node:net';
import { createTransport, Transporter } from 'nodemailer';
import type { Pool } from 'pg';

export const CREATE_NOTICES_TABLE = `CREATE TABLE IF NOT EXISTS floor_notices (
  id uuid PRIMARY KEY, recipient text NOT NULL, subject text NOT NULL, body text NOT NULL,
  created_at timestamptz NOT NULL, sent_at timestamptz)`;

export interface Notice { id: string; recipient: string; subject: string; body: string }

const MARK_BATCH = 16;
const SENDERS = 4;

export class NoticeSender {
  private readonly waiting: Notice[] = [];
  private readonly sent: string[] = [];
  private running = 0;
  private readonly mail: Transporter;

  constructor(smtpUrl: string, private readonly pool: Pool, private readonly from = 'no-reply@floor.bench') {
    const { hostname, port } = new URL(smtpUrl);
    // Nagle off, as Twofold's SMTP client: otherwise each message waits for the server's delayed ACK.
    this.mail = createTransport({
      pool: true, maxConnections: 2, host: hostname, port: Number(port), secure: false, ignoreTLS: true,
      getSocket: (options, callback) => callback(null, { connection: connect({ host: options.host!, port: Number(options.port), noDelay: true }) }),
    });
  }

  /** After the row's statement committed. */
  add(notice: Notice): void {
    this.waiting.push(notice);
    while (this.running < SENDERS && this.waiting.length) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running++;
    try {
      for (let notice = this.waiting.shift(); notice; notice = this.waiting.shift()) {
        if (await this.send(notice)) this.sent.push(notice.id);
        if (this.sent.length >= MARK_BATCH || !this.waiting.length) await this.markSent();
      }
    } finally {
      this.running--;
    }
  }

  /** One retry; a notice that fails twice stays unsent, which the bench's drain check then reports. */
  private async send(notice: Notice): Promise<boolean> {
    const message = { from: this.from, to: notice.recipient, subject: notice.subject, text: notice.body };
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await this.mail.sendMail(message).then(() => true, () => false)) return true;
    }
    console.error(`floor notice ${notice.id} not sent`);
    return false;
  }

  private async markSent(): Promise<void> {
    const ids = this.sent.splice(0);
    if (!ids.length) return;
    await this.pool.query({ name: 'floor_notices_sent', text: `UPDATE floor_notices SET sent_at = now() WHERE id = ANY($1::uuid[])`, values: [ids] })
      .catch((error: unknown) => {
        this.sent.push(...ids); // marked with the next batch, or by this retry if none comes
        console.error('floor notices not marked sent', error);
        setTimeout(() => void this.markSent(), 1000).unref();
      });
  }
}
