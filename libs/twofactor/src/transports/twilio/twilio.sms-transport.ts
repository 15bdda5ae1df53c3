import twilio from 'twilio';
import { DeliveryError } from '../delivery-error';
import { DeliveryResult, OutgoingSms } from '../outgoing-message';
import { SmsTransport } from '../sms.transport';
import { BaseUrlRequestClient } from './twilio-base-url.request-client';

export interface TwilioSmsTransportOptions {
  accountSid: string;
  authToken: string;
  /** Sender number (E.164). One of `from` and `messagingServiceSid` is required. */
  from?: string;
  /** Preferred over `from` when both are set: Twilio then picks the sender from the service's pool. */
  messagingServiceSid?: string;
  /** Send API requests here instead of https://api.twilio.com (a Twilio-compatible server in tests). */
  apiBaseUrl?: string;
  /** Where Twilio posts status callbacks for each message. */
  statusCallbackUrl?: string;
  /** Per-request timeout; the delivery queue retries, so fail fast rather than hang. */
  timeoutMs?: number;
}

/** Sends SMS with Twilio's Messages API. */
export class TwilioSmsTransport extends SmsTransport {
  private readonly client: twilio.Twilio;

  constructor(private readonly options: TwilioSmsTransportOptions) {
    super();
    if (!options.from && !options.messagingServiceSid) {
      throw new Error('TwilioSmsTransport needs a sender: set `from` or `messagingServiceSid`.');
    }
    const timeout = options.timeoutMs ?? 10_000;
    this.client = twilio(options.accountSid, options.authToken, {
      timeout,
      httpClient: options.apiBaseUrl ? new BaseUrlRequestClient(options.apiBaseUrl, { timeout }) : undefined,
    });
  }

  async send(message: OutgoingSms): Promise<DeliveryResult> {
    const sender = this.options.messagingServiceSid
      ? { messagingServiceSid: this.options.messagingServiceSid }
      : { from: this.options.from };
    try {
      const sent = await this.client.messages.create({
        to: message.to,
        body: message.body,
        ...sender,
        ...(this.options.statusCallbackUrl ? { statusCallback: this.options.statusCallbackUrl } : {}),
      });
      return { provider: 'twilio', providerId: sent.sid, status: sent.status };
    } catch (error) {
      throw toDeliveryError(error);
    }
  }
}

/**
 * Keeps Twilio's code and status but drops everything else: the SDK's errors (and axios's, for
 * network failures) can carry the request, whose body holds the one-time code.
 */
function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof twilio.RestException) {
    const status = error.status;
    return new DeliveryError(`Twilio refused the SMS: error ${error.code ?? 'unknown'} (HTTP ${status})`, {
      provider: 'twilio',
      code: error.code,
      status,
      moreInfo: error.moreInfo,
      // 4xx (bad number, unverified sender, …) will fail the same way again; 429 and 5xx may not.
      retryable: status === 429 || status >= 500,
    });
  }
  const code = networkCode(error);
  return new DeliveryError(`Twilio request failed${code ? ` (${code})` : ''}`, {
    provider: 'twilio',
    code,
    retryable: true,
  });
}

function networkCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}
