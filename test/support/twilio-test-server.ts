import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { MessageBox } from './message-box';

export interface ReceivedSms {
  sid: string;
  accountSid: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body: string;
  statusCallback?: string;
  receivedAt: Date;
}

export interface TwilioError {
  status: number;
  code: number;
  message: string;
}

export interface TwilioTestServerOptions {
  accountSid?: string;
  authToken?: string;
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** Twilio's answer to an invalid 'To' number; makes the SDK throw a RestException. */
export const INVALID_TO_NUMBER: TwilioError = {
  status: 400,
  code: 21211,
  message: "The 'To' number is not a valid phone number.",
};

/**
 * A local stand-in for Twilio's Messages API (tests only): checks Basic auth and the form body
 * like Twilio does, answers with Twilio-shaped JSON and keeps what it received.
 */
export class TwilioTestServer {
  readonly accountSid: string;
  readonly authToken: string;
  private readonly box = new MessageBox<ReceivedSms>((sms) => [sms.to], (sms) => sms.body, 'SMS');
  private readonly failures: TwilioError[] = [];
  private hook?: (sms: ReceivedSms) => Promise<void>;
  private server?: Server;
  private port = 0;

  private constructor(options: TwilioTestServerOptions) {
    this.accountSid = options.accountSid ?? `AC${'0'.repeat(31)}1`;
    this.authToken = options.authToken ?? 'test-auth-token';
  }

  static async start(options: TwilioTestServerOptions = {}): Promise<TwilioTestServer> {
    const fake = new TwilioTestServer(options);
    await fake.listen();
    return fake;
  }

  /** Give this to the client as its API base URL (TWILIO_API_BASE_URL). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Oldest first. */
  get messages(): readonly ReceivedSms[] {
    return this.box.all;
  }

  /** The next message request is refused with this error (default: 21211 invalid 'To'). */
  failNext(error: TwilioError = INVALID_TO_NUMBER): void {
    this.failures.push(error);
  }

  /**
   * Runs `hook` for each accepted message before Twilio's answer is sent, e.g. to deliver a status
   * callback that overtakes the answer, as real callbacks sometimes do.
   */
  beforeReply(hook: ((sms: ReceivedSms) => Promise<void>) | undefined): void {
    this.hook = hook;
  }

  waitFor(predicate: (sms: ReceivedSms) => boolean, timeoutMs = 5000): Promise<ReceivedSms> {
    return this.box.waitFor(predicate, timeoutMs);
  }

  /** The only 6-digit number of the newest SMS to `to` whose code was not read yet. */
  codeFor(to: string, timeoutMs = 5000): Promise<string> {
    return this.box.codeFor(to, timeoutMs);
  }

  clear(): void {
    this.box.clear();
    this.failures.length = 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => reply(res, 500, { code: 20500, message: 'Internal Server Error', status: 500 }));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.baseUrl).pathname;
    const match = MESSAGES_PATH.exec(path);
    if (req.method !== 'POST' || !match) {
      return reply(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    }
    if (match[1] !== this.accountSid || !this.isAuthorised(req.headers.authorization)) {
      return reply(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
    }
    const form = new URLSearchParams(await readBody(req));
    const failure = this.failures.shift() ?? validate(form);
    if (failure) {
      return reply(res, failure.status, {
        code: failure.code,
        message: failure.message,
        more_info: `https://www.twilio.com/docs/errors/${failure.code}`,
        status: failure.status,
      });
    }
    const sms: ReceivedSms = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      accountSid: this.accountSid,
      to: form.get('To') as string,
      from: form.get('From') ?? undefined,
      messagingServiceSid: form.get('MessagingServiceSid') ?? undefined,
      body: form.get('Body') as string,
      statusCallback: form.get('StatusCallback') ?? undefined,
      receivedAt: new Date(),
    };
    await this.hook?.(sms);
    reply(res, 201, toTwilioJson(sms));
    this.box.add(sms);
  }

  private isAuthorised(header: string | undefined): boolean {
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    return header === expected;
  }
}

function validate(form: URLSearchParams): TwilioError | undefined {
  const to = form.get('To');
  if (!to) return { status: 400, code: 21604, message: "A 'To' phone number is required." };
  if (!E164.test(to)) return INVALID_TO_NUMBER;
  if (!form.get('From') && !form.get('MessagingServiceSid')) {
    return { status: 400, code: 21603, message: "A 'From' phone number is required." };
  }
  if (!form.get('Body')) return { status: 400, code: 21602, message: 'Message body is required.' };
  return undefined;
}

/** The fields of Twilio's Message resource (snake_case, RFC 2822 dates). */
function toTwilioJson(sms: ReceivedSms): Record<string, unknown> {
  const date = sms.receivedAt.toUTCString().replace('GMT', '+0000');
  const uri = `/2010-04-01/Accounts/${sms.accountSid}/Messages/${sms.sid}`;
  return {
    account_sid: sms.accountSid,
    api_version: '2010-04-01',
    body: sms.body,
    date_created: date,
    date_sent: null,
    date_updated: date,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: sms.from ?? null,
    messaging_service_sid: sms.messagingServiceSid ?? null,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid: sms.sid,
    status: 'queued',
    subresource_uris: { media: `${uri}/Media.json` },
    to: sms.to,
    uri: `${uri}.json`,
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
