import { MailerModule } from '@nestjs-modules/mailer';
import { Test, TestingModule } from '@nestjs/testing';
import { SmtpTestServer } from '../../../../../test/support/smtp-test-server';
import { DeliveryError } from '../delivery-error';
import { EmailTransport } from '../email.transport';
import { buildMailerOptions } from './mailer-options';
import { SmtpEmailTransport } from './smtp.email-transport';

describe(SmtpEmailTransport.name, () => {
  let smtp: SmtpTestServer;
  let moduleRef: TestingModule;
  let transport: EmailTransport;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    // Wired the way the app will wire it: MailerModule from SMTP_URL, the port bound to the adapter.
    moduleRef = await Test.createTestingModule({
      imports: [MailerModule.forRoot(buildMailerOptions({ smtpUrl: smtp.url, from: '"Twofold" <no-reply@twofold.test>' }))],
      providers: [{ provide: EmailTransport, useClass: SmtpEmailTransport }],
    }).compile();
    transport = moduleRef.get(EmailTransport);
  });
  afterEach(() => smtp.clear());
  afterAll(async () => {
    await moduleRef.close();
    await smtp.stop();
  });

  it('delivers text and html that the SMTP server parses', async () => {
    const result = await transport.send({
      to: 'Jane@Example.test',
      subject: 'Your Twofold code',
      text: 'Your code is 246810. It expires in 10 minutes.',
      html: '<p>Your code is <b>246810</b>.</p>',
    });

    const mail = await smtp.waitFor((m) => m.to.includes('jane@example.test'));
    expect(mail).toMatchObject({
      subject: 'Your Twofold code',
      from: '"Twofold" <no-reply@twofold.test>',
      envelopeFrom: 'no-reply@twofold.test',
      text: expect.stringContaining('246810') as unknown,
      html: expect.stringContaining('<b>246810</b>') as unknown,
    });
    expect(result).toEqual({ provider: 'smtp', providerId: mail.messageId, status: 'sent' });
    await expect(smtp.codeFor('jane@example.test')).resolves.toBe('246810');
  });

  it('hands each code out once, skipping notices without one', async () => {
    await transport.send({ to: 'sam@example.test', subject: 'Code', text: 'Code 111111' });
    await transport.send({ to: 'sam@example.test', subject: 'Code', text: 'Code 222222' });
    await transport.send({ to: 'sam@example.test', subject: 'Notice', text: 'A factor was added on 2026-01-01.' });

    await expect(smtp.codeFor('sam@example.test')).resolves.toBe('222222');
    await expect(smtp.codeFor('sam@example.test', 50)).rejects.toThrow(/No matching mail/);
  });

  it('turns a refused mail into a non-retryable error without the content', async () => {
    smtp.rejectNext({ responseCode: 550, message: 'Mailbox unavailable' });

    const error = await transport
      .send({ to: 'gone@example.test', subject: 'Code', text: 'Your code is 135790' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ provider: 'smtp', status: 550, retryable: false });
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain('135790');
  });

  it('reports an unreachable server as retryable', async () => {
    const unreachable = new SmtpEmailTransport({
      sendMail: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' })),
    });

    await expect(unreachable.send({ to: 'a@example.test', subject: 's', text: 't' })).rejects.toMatchObject({
      code: 'ESOCKET',
      retryable: true,
    });
  });
});
