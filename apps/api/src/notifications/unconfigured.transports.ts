import { DeliveryError, DeliveryResult, EmailTransport, SmsTransport } from '@app/twofactor';

// A channel with no provider while another one is real (so the dev outbox is off): sending fails
// plainly, rather than capturing codes where anyone could read them.
const unconfigured = (provider: 'twilio' | 'smtp', variables: string) =>
  new DeliveryError(`No ${provider === 'twilio' ? 'SMS' : 'email'} provider is configured (${variables})`, { provider, retryable: false });

export class UnconfiguredSmsTransport extends SmsTransport {
  send(): Promise<DeliveryResult> {
    return Promise.reject(unconfigured('twilio', 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM'));
  }
}

export class UnconfiguredEmailTransport extends EmailTransport {
  send(): Promise<DeliveryResult> {
    return Promise.reject(unconfigured('smtp', 'SMTP_URL'));
  }
}
