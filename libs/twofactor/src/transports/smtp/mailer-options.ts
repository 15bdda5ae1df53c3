import { MailerOptions } from '@nestjs-modules/mailer';

export interface SmtpMailerConfig {
  /** e.g. smtp://user:pass@mail.example:587 or smtps://…; nodemailer reads pool/timeouts from its query. */
  smtpUrl: string;
  /** The From header, e.g. `"Twofold" <no-reply@twofold.example>`. */
  from: string;
  /** Give up on one send after this long; the delivery queue retries. */
  sendTimeoutMs?: number;
}

/** Options for `MailerModule.forRoot(Async)`: plain text and simple html, so no template engine. */
export function buildMailerOptions(config: SmtpMailerConfig): MailerOptions {
  return {
    transport: config.smtpUrl,
    defaults: { from: config.from },
    sendTimeout: config.sendTimeoutMs ?? 15_000,
  };
}
