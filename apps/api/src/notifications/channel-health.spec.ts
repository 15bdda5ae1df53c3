import { verdictOf } from './channel-health';

describe(verdictOf.name, () => {
  it('counts only a handset delivery as delivered for SMS, and SMTP acceptance for email', () => {
    expect(verdictOf('sms', 'delivered')).toBe('delivered');
    expect(verdictOf('sms', 'sent')).toBe('in_flight');
    expect(verdictOf('sms', 'queued')).toBe('in_flight');
    expect(verdictOf('email', 'sent')).toBe('delivered');
  });

  it('counts undelivered, failed and refused as failures on either channel', () => {
    for (const status of ['undelivered', 'failed', 'refused']) {
      expect(verdictOf('sms', status)).toBe('failed');
      expect(verdictOf('email', status)).toBe('failed');
    }
  });
});
