import { DeliveryProvider } from './outgoing-message';

export interface DeliveryErrorDetails {
  provider: DeliveryProvider;
  /** The provider's error code (Twilio's numeric code, nodemailer's `EAUTH`, …). */
  code?: string | number;
  /** HTTP status or SMTP reply code, when there was one. */
  status?: number;
  /** False when trying again cannot help (invalid number, mailbox refused). */
  retryable: boolean;
  moreInfo?: string;
}

/**
 * A provider failure reduced to what is safe to log and store. Adapters build it from scratch
 * instead of wrapping the original error, because those carry the request (and so the one-time code).
 */
export class DeliveryError extends Error {
  readonly provider: DeliveryProvider;
  readonly code?: string | number;
  readonly status?: number;
  readonly retryable: boolean;
  readonly moreInfo?: string;

  constructor(message: string, details: DeliveryErrorDetails) {
    super(message);
    this.name = 'DeliveryError';
    this.provider = details.provider;
    this.code = details.code;
    this.status = details.status;
    this.retryable = details.retryable;
    this.moreInfo = details.moreInfo;
  }
}

/** Unknown errors (bugs, network) are worth another try; a DeliveryError says for itself. */
export function isRetryable(error: unknown): boolean {
  return error instanceof DeliveryError ? error.retryable : true;
}

/** A one-line description of a failure that never includes message content. */
export function describeDeliveryFailure(error: unknown): string {
  if (error instanceof DeliveryError) return error.message;
  if (error instanceof Error) return `${error.name}${hasCode(error) ? ` (${String(error.code)})` : ''}`;
  return 'unknown error';
}

function hasCode(error: Error): error is Error & { code: unknown } {
  return 'code' in error && error.code !== undefined;
}
