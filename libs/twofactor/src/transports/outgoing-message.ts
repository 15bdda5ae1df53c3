/** An SMS ready to send. `to` is E.164 (e.g. +447700900123). */
export interface OutgoingSms {
  to: string;
  body: string;
}

/** An email ready to send; `text` is always present so every client can read it. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export type DeliveryProvider = 'twilio' | 'smtp' | 'outbox';

/** What a provider said when it accepted a message. */
export interface DeliveryResult {
  provider: DeliveryProvider;
  /** The provider's own id (Twilio message sid, SMTP Message-ID, outbox id), for status callbacks. */
  providerId?: string;
  /** The provider's status word, e.g. Twilio's `queued`, SMTP `sent`, outbox `captured`. */
  status: string;
}
