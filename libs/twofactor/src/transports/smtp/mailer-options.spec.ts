import { MailerModule } from '@nestjs-modules/mailer';
import { Test, TestingModule } from '@nestjs/testing';
// The module object itself (not a namespace copy), so a spy on it sees the transport's calls.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { DeliveryError } from '../delivery-error';
import { EmailTransport } from '../email.transport';
import { buildMailerOptions, SMTP_POOL_DEFAULTS } from './mailer-options';
import { SmtpEmailTransport } from './smtp.email-transport';

/** An SMTP server that counts what the pool is about: connections opened, still open, messages taken. */
class CountingSmtpServer {
  opened = 0;
  messages = 0;
  private server!: SMTPServer;

  private constructor(private port: number) {}

  static async start(port = 0): Promise<CountingSmtpServer> {
    const counting = new CountingSmtpServer(port);
    await counting.listen();
    return counting;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  get open(): number {
    return (this.server as unknown as { connections: Set<unknown> }).connections.size;
  }

  /** Closes the server and every client connection (after a short grace), as a restart of the mail server does. */
  stop(): Promise<void> {
    return new Promise((closed) => this.server.close(() => closed()));
  }

  /** Listens again on the same port. */
  async restart(): Promise<void> {
    await this.stop();
    await this.listen();
  }

  private async listen(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false, closeTimeout: 200,
      onConnect: (_session, accept) => {
        this.opened += 1;
        accept();
      },
      onData: (stream, _session, done) => {
        stream.resume();
        stream.on('end', () => {
          this.messages += 1;
          done();
        });
      },
    });
    await new Promise<void>((ready) => this.server.listen(this.port, '127.0.0.1', ready));
    this.port = (this.server.server.address() as AddressInfo).port;
  }
}

async function mailerFor(smtpUrl: string): Promise<{ transport: EmailTransport; close(): Promise<void> }> {
  const moduleRef: TestingModule = await Test.createTestingModule({
    imports: [MailerModule.forRoot(buildMailerOptions({ smtpUrl, from: 'no-reply@twofold.test', sendTimeoutMs: 5000 }))],
    providers: [{ provide: EmailTransport, useClass: SmtpEmailTransport }],
  }).compile();
  return { transport: moduleRef.get(EmailTransport), close: () => moduleRef.close() };
}

const mail = (n: number) => ({ to: `user${n}@example.test`, subject: 'Notice', text: `Notice number ${n}` });

async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('Not true in time');
    await sleep(20);
  }
}

describe(buildMailerOptions.name, () => {
  it('pools connections by default, and lets the SMTP_URL query and credentials override it', () => {
    expect(buildMailerOptions({ smtpUrl: 'smtp://mail.example:2525', from: 'x@example.test' }).transport).toEqual({
      ...SMTP_POOL_DEFAULTS, host: 'mail.example', port: 2525, secure: false,
    });
    expect(buildMailerOptions({ smtpUrl: 'smtps://user:p%40ss@mail.example?pool=false&maxConnections=5', from: 'x@example.test' }).transport).toMatchObject({
      pool: false, maxConnections: 5, secure: true, host: 'mail.example', auth: { user: 'user', pass: 'p@ss' },
    });
  });

  it('leaves a transport URL that is not SMTP as it is', () => {
    expect(buildMailerOptions({ smtpUrl: 'direct:?name=mx.example', from: 'x@example.test' }).transport).toBe('direct:?name=mx.example');
  });

  describe('against a real SMTP server', () => {
    let server: CountingSmtpServer;

    beforeEach(async () => {
      server = await CountingSmtpServer.start();
    });
    afterEach(async () => server.stop());

    it('sends many messages over one connection, and closes it on shutdown', async () => {
      const mailer = await mailerFor(server.url);
      for (let n = 0; n < 5; n += 1) await mailer.transport.send(mail(n));
      expect(server.opened).toBe(1);
      // A burst may open one more, never more than the pool's size.
      await Promise.all([5, 6, 7, 8, 9, 10].map((n) => mailer.transport.send(mail(n))));

      expect(server.messages).toBe(11);
      expect(server.opened).toBeLessThanOrEqual(SMTP_POOL_DEFAULTS.maxConnections);
      expect(server.open).toBeGreaterThan(0);
      await mailer.close();
      await eventually(() => server.open === 0);
    });

    it("opens its connections with Nagle's algorithm off, so a message's last write is not held for the server's delayed ACK", async () => {
      const connect = jest.spyOn(net, 'connect');
      try {
        const mailer = await mailerFor(server.url);
        await mailer.transport.send(mail(1));
        await mailer.close();
        expect(server.messages).toBe(1);
        expect(connect).toHaveBeenCalledWith(expect.objectContaining({ host: '127.0.0.1', noDelay: true }));
      } finally {
        connect.mockRestore();
      }
    });

    it('opens a connection per message when SMTP_URL says pool=false', async () => {
      const mailer = await mailerFor(`${server.url}?pool=false`);
      for (let n = 0; n < 3; n += 1) await mailer.transport.send(mail(n));
      await mailer.close();

      expect(server.messages).toBe(3);
      expect(server.opened).toBe(3);
    });

    it('still sends after the mail server restarted under its open connection', async () => {
      const mailer = await mailerFor(server.url);
      await mailer.transport.send(mail(1));
      await server.restart();

      await mailer.transport.send(mail(2));
      await mailer.close();
      expect(server.messages).toBe(2);
      expect(server.opened).toBe(2);
    });

    it('reports a refused connection as retryable, and sends once the server is back', async () => {
      const mailer = await mailerFor(server.url);
      await mailer.transport.send(mail(1));
      await server.stop();

      // Two at once, so both pooled connections fail: the pool must not keep either as busy.
      const errors = await Promise.all([2, 3].map((n) => mailer.transport.send(mail(n)).catch((e: unknown) => e)));
      for (const error of errors) {
        expect(error).toBeInstanceOf(DeliveryError);
        expect(error).toMatchObject({ provider: 'smtp', retryable: true });
      }

      server = await CountingSmtpServer.start(Number(new URL(server.url).port));
      await Promise.all([4, 5].map((n) => mailer.transport.send(mail(n))));
      await mailer.close();
      expect(server.messages).toBe(2);
    });
  });
});
