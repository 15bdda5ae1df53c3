import twilio from 'twilio';

/**
 * Checks an `X-Twilio-Signature` header. `url` must be the public URL Twilio called (scheme, host,
 * path and query exactly as configured), and `params` the form-encoded POST fields.
 */
export function isValidTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Record<string, string>,
): boolean {
  if (!signature || !authToken) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}
