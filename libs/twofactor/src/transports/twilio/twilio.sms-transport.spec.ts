import { TwilioTestServer } from '../../../../../test/support/twilio-test-server';
import { DeliveryError } from '../delivery-error';
import { TwilioSmsTransport, TwilioSmsTransportOptions } from './twilio.sms-transport';

describe(TwilioSmsTransport.name, () => {
  let twilioApi: TwilioTestServer;

  beforeAll(async () => {
    twilioApi = await TwilioTestServer.start();
  });
  afterEach(() => twilioApi.clear());
  afterAll(() => twilioApi.stop());

  function transport(overrides: Partial<TwilioSmsTransportOptions> = {}) {
    return new TwilioSmsTransport({
      accountSid: twilioApi.accountSid,
      authToken: twilioApi.authToken,
      from: '+15005550006',
      apiBaseUrl: twilioApi.baseUrl,
      ...overrides,
    });
  }

  it('sends through the Messages API with basic auth and returns the sid and status', async () => {
    const result = await transport().send({ to: '+447700900123', body: 'Your Twofold code is 123456' });

    const received = twilioApi.messages[0];
    expect(received).toMatchObject({ to: '+447700900123', from: '+15005550006', body: 'Your Twofold code is 123456' });
    expect(result).toEqual({ provider: 'twilio', providerId: received.sid, status: 'queued' });
    expect(received.sid).toMatch(/^SM[0-9a-f]{32}$/);
    await expect(twilioApi.codeFor('+447700900123')).resolves.toBe('123456');
  });

  it('uses the messaging service and the status callback when configured', async () => {
    await transport({
      from: undefined,
      messagingServiceSid: `MG${'a'.repeat(32)}`,
      statusCallbackUrl: 'https://twofold.example/webhooks/twilio/status',
    }).send({ to: '+447700900124', body: 'Code 654321' });

    expect(twilioApi.messages[0]).toMatchObject({
      from: undefined,
      messagingServiceSid: `MG${'a'.repeat(32)}`,
      statusCallback: 'https://twofold.example/webhooks/twilio/status',
    });
  });

  it("surfaces Twilio's error code without the message body", async () => {
    twilioApi.failNext();

    const error = await transport()
      .send({ to: '+447700900125', body: 'Your Twofold code is 987654' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ provider: 'twilio', code: 21211, status: 400, retryable: false });
    expect(JSON.stringify(error)).not.toContain('987654');
    expect((error as Error).message).not.toContain('987654');
    expect((error as Error).stack).not.toContain('987654');
    expect(twilioApi.messages).toHaveLength(0);
  });

  it('refuses wrong credentials (HTTP 401) as a non-retryable error', async () => {
    await expect(transport({ authToken: 'wrong' }).send({ to: '+447700900126', body: 'Code 111111' })).rejects.toMatchObject({
      code: 20003,
      status: 401,
      retryable: false,
    });
  });

  it('reports an unreachable API as retryable without the body', async () => {
    const unreachable = transport({ apiBaseUrl: 'http://127.0.0.1:1' });

    const error = await unreachable.send({ to: '+447700900127', body: 'Code 222222' }).catch((e: unknown) => e);

    expect(error).toMatchObject({ provider: 'twilio', code: 'ECONNREFUSED', retryable: true });
    expect(JSON.stringify(error)).not.toContain('222222');
  });

  it('needs a sender', () => {
    expect(() => transport({ from: undefined })).toThrow(/from.*messagingServiceSid/);
  });
});
