import { MailerOptions } from '@nestjs-modules/mailer';
import { connect, Socket } from 'node:net';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

export interface SmtpMailerConfig {
  /** e.g. smtp://user:pass@mail.example:587 or smtps://…; its query (`?pool=false&maxConnections=4`) overrides the pool defaults. */
  smtpUrl: string;
  /** The From header, e.g. `"Twofold" <no-reply@twofold.example>`. */
  from: string;
  /** Give up on one send after this long; the delivery queue retries. */
  sendTimeoutMs?: number;
}

/**
 * Connections stay open between messages: opening one (TCP, greeting, EHLO, often TLS and AUTH) cost
 * more than the message itself. Two are enough for one instance's worker and keep us polite to the server.
 */
export const SMTP_POOL_DEFAULTS = {
  pool: true,
  maxConnections: 2,
  // Closed after a minute without traffic, before a typical server drops it (Postfix: 5 min), so we
  // rarely hand a message to a connection the server is closing.
  socketTimeout: 60_000,
  // A refused or silent server fails the send well within sendTimeout; the outbox retries it later.
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  // A connection that closes under a message gets one fresh try here; beyond that the outbox's
  // backoff decides (nodemailer's default would requeue it without limit).
  maxRequeues: 1,
  getSocket: connectWithoutDelay,
} satisfies SMTPPool.Options & { maxRequeues: number }; // maxRequeues: nodemailer has it, its types do not

type SocketCallback = (error: Error | null, socketOptions?: { connection: Socket }) => void;

/**
 * Opens an SMTP connection with Nagle's algorithm off; nodemailer then speaks SMTP (and TLS) over it.
 * nodemailer writes a message's closing dot in a small write of its own, which Nagle holds back until
 * the server ACKs the body, and the server delays that ACK (40 ms on Linux) because it has nothing to
 * say before the dot: each connection carried ~22 messages a second, measured; with this, ~340.
 * The socket is handed over while it connects: a refusal then reaches nodemailer as an error of its
 * own connection (which its pool recovers from; an error given back here would wedge the pool), and
 * its greeting timeout bounds a connect that never completes.
 */
export function connectWithoutDelay(options: SMTPPool.Options, callback: SocketCallback): void {
  const socket = connect({
    host: options.host ?? 'localhost',
    port: Number(options.port) || (options.secure ? 465 : 587),
    // What nodemailer's own connect sets or passes on: keep-alive probes, the outbound address if one is chosen.
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    keepAlive: true,
    noDelay: true,
  });
  callback(null, { connection: socket });
}

/** Options for `MailerModule.forRoot(Async)`: plain text and simple html, so no template engine. */
export function buildMailerOptions(config: SmtpMailerConfig): MailerOptions {
  return {
    transport: smtpTransportOptions(config.smtpUrl),
    defaults: { from: config.from },
    sendTimeout: config.sendTimeoutMs ?? 15_000,
  };
}

/**
 * nodemailer reads only the URL when it is given one (options beside a `url` are dropped), so the URL is
 * parsed here, by nodemailer's own parser, and laid over the pool defaults: what the operator wrote wins.
 */
export function smtpTransportOptions(smtpUrl: string): string | SMTPPool.Options {
  // Anything but an SMTP URL (nodemailer's `direct:`, a future scheme) goes through untouched.
  if (!/^smtps?:/i.test(smtpUrl)) return smtpUrl;
  return { ...SMTP_POOL_DEFAULTS, ...parseConnectionUrl(smtpUrl) };
}
