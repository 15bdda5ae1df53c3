import { createHmac } from 'node:crypto';
import twilio from 'twilio';
import { isValidTwilioSignature } from './twilio-signature';

// Twilio's documented example (https://www.twilio.com/docs/usage/security#validating-requests).
const token = '12345';
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+12349013030',
  Digits: '1234',
  From: '+12349013030',
  To: '+18005551212',
};
const signature = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';

describe(isValidTwilioSignature.name, () => {
  it("accepts Twilio's documented signature", () => {
    expect(isValidTwilioSignature(token, signature, url, params)).toBe(true);
  });

  it('refuses a tampered parameter', () => {
    expect(isValidTwilioSignature(token, signature, url, { ...params, Digits: '1235' })).toBe(false);
  });

  it('refuses another URL, another token or a missing signature', () => {
    expect(isValidTwilioSignature(token, signature, 'https://mycompany.com/myapp.php?foo=1&bar=3', params)).toBe(false);
    expect(isValidTwilioSignature('54321', signature, url, params)).toBe(false);
    expect(isValidTwilioSignature(token, undefined, url, params)).toBe(false);
    expect(isValidTwilioSignature(token, '', url, params)).toBe(false);
  });

  it('refuses every signature when the auth token is empty, even one made with the empty key', () => {
    // Anyone can compute an HMAC keyed with "": Twilio's own check accepts it, so the wrapper's guard is what stops it.
    const forged = createHmac('sha1', '')
      .update(url + Object.keys(params).sort().map((key) => key + params[key as keyof typeof params]).join(''))
      .digest('base64');
    expect(twilio.validateRequest('', forged, url, params)).toBe(true);
    expect(isValidTwilioSignature('', forged, url, params)).toBe(false);
  });
});
