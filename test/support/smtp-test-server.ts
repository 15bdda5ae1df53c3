import { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { MessageBox } from './message-box';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  /** Envelope sender (MAIL FROM). */
  envelopeFrom?: string;
  /** The From header as text. */
  from?: string;
  subject?: string;
  text?: string;
  html?: string;
  messageId?: string;
  /** The user the client authenticated as, if it did. */
  authUser?: string;
  receivedAt: Date;
}

export interface SmtpRejection {
  responseCode: number;
  message: string;
}

/**
 * A local SMTP server for tests: accepts any mail (authentication optional, no STARTTLS),
 * parses it with mailparser and keeps it.
 */
export class SmtpTestServer {
  private readonly box = new MessageBox<ReceivedMail>((mail) => mail.to, textOf, 'mail');
  private readonly rejections: SmtpRejection[] = [];
  private server?: SMTPServer;
  private port = 0;

  private constructor() {}

  static async start(): Promise<SmtpTestServer> {
    const fake = new SmtpTestServer();
    await fake.listen();
    return fake;
  }

  /** Give this to the mailer as SMTP_URL. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Oldest first. */
  get messages(): readonly ReceivedMail[] {
    return this.box.all;
  }

  /** The next message is refused after DATA with this reply (e.g. 550 mailbox unavailable). */
  rejectNext(rejection: SmtpRejection = { responseCode: 550, message: 'Mailbox unavailable' }): void {
    this.rejections.push(rejection);
  }

  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs = 5000): Promise<ReceivedMail> {
    return this.box.waitFor(predicate, timeoutMs);
  }

  /** The only 6-digit number of the newest mail to `to` whose code was not read yet. */
  codeFor(to: string, timeoutMs = 5000): Promise<string> {
    return this.box.codeFor(to, timeoutMs);
  }

  clear(): void {
    this.box.clear();
    this.rejections.length = 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stops answering on this port (connections are refused) until resume(): an SMTP outage. */
  async pause(): Promise<void> {
    await this.stop();
  }

  /** Listens again on the same port, so the API's SMTP_URL works again. */
  async resume(): Promise<void> {
    if (!this.server) await this.listen(this.port);
  }

  private async listen(port = 0): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      // Lets an SMTP_URL with user:pass log in over the plain local connection.
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // Do not wait the default 30 s for idle client connections when a test stops the server.
      closeTimeout: 500,
      // Accept any credentials: tests check what was sent, not the mail server's auth.
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            const rejection = this.rejections.shift();
            if (rejection) {
              return callback(Object.assign(new Error(rejection.message), { responseCode: rejection.responseCode }));
            }
            this.box.add({
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
              from: parsed.from?.text,
              subject: parsed.subject,
              text: parsed.text,
              html: typeof parsed.html === 'string' ? parsed.html : undefined,
              messageId: parsed.messageId,
              authUser: typeof session.user === 'string' ? session.user : undefined,
              receivedAt: new Date(),
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
  }
}

/** Codes are read from the plain-text part; an html-only mail falls back to its tag-stripped html. */
function textOf(mail: ReceivedMail): string {
  return mail.text ?? (mail.html ?? '').replace(/<[^>]*>/g, ' ');
}
