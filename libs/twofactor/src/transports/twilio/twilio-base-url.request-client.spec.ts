import { rebase } from './twilio-base-url.request-client';

describe(rebase.name, () => {
  const twilioUri = 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?PageSize=50';

  it("moves Twilio's path and query onto the base URL", () => {
    expect(rebase(twilioUri, new URL('http://127.0.0.1:4010'))).toBe(
      'http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Messages.json?PageSize=50',
    );
  });

  it('keeps a path prefix of the base URL', () => {
    expect(rebase(twilioUri, new URL('https://proxy.example/twilio/'))).toBe(
      'https://proxy.example/twilio/2010-04-01/Accounts/AC1/Messages.json?PageSize=50',
    );
  });
});
