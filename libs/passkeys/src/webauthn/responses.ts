import type { AuthenticationResponseJSON, AuthenticatorAttachment, AuthenticatorTransport, RegistrationResponseJSON } from '@simplewebauthn/server';

// Generous bounds for real authenticators; the API's body limit (16 KiB) is the outer one.
const MAX_ID = 1366; // base64url of WebAuthn's longest credential id, 1023 bytes
/** WebAuthn L3 §5.1: a credential id is at most 1023 bytes; the stored column holds its base64url. */
const MAX_CREDENTIAL_ID_BYTES = 1023;
/** A COSE RSA-4096 key is about 550 bytes, an EC2 key under 100: 2 KiB leaves room and bounds the row. */
const MAX_PUBLIC_KEY_BYTES = 2048;
const MAX_FIELD = 12_000;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const TRANSPORTS = new Set<string>(['ble', 'hybrid', 'internal', 'nfc', 'usb'] satisfies AuthenticatorTransport[]);

/**
 * Reads a client's registration response. Anything that is not shaped like RegistrationResponseJSON
 * answers null, so a malformed body is a refused credential like any other, never a crash.
 */
export function readRegistration(body: unknown): RegistrationResponseJSON | null {
  const common = readCommon(body);
  if (!common) return null;
  const response = common.response;
  if (!isBase64url(response.attestationObject, MAX_FIELD)) return null;
  const transports = Array.isArray(response.transports)
    ? response.transports.filter((transport): transport is AuthenticatorTransport => typeof transport === 'string' && TRANSPORTS.has(transport))
    : [];
  return {
    ...common.credential,
    response: { clientDataJSON: response.clientDataJSON as string, attestationObject: response.attestationObject as string, transports },
  };
}

/** Reads a client's authentication (assertion) response; null when it is not shaped like one. */
export function readAuthentication(body: unknown): AuthenticationResponseJSON | null {
  const common = readCommon(body);
  if (!common) return null;
  const response = common.response;
  if (!isBase64url(response.authenticatorData, MAX_FIELD) || !isBase64url(response.signature, MAX_FIELD)) return null;
  if (response.userHandle !== undefined && response.userHandle !== null && !isBase64url(response.userHandle, MAX_ID)) return null;
  return {
    ...common.credential,
    response: {
      clientDataJSON: response.clientDataJSON as string,
      authenticatorData: response.authenticatorData as string,
      signature: response.signature as string,
      userHandle: typeof response.userHandle === 'string' ? response.userHandle : undefined,
    },
  };
}

/**
 * Whether a verified registration's credential may be stored. The id the relying-party library read
 * from the signed authenticator data is what gets stored, so it must be the id the client named
 * (base64url of the same bytes, nothing else) and within WebAuthn's limit; the public key is bounded
 * too. Anything else is a refused credential, never an oversized value reaching the database.
 */
export function storableCredential(responseId: string, credential: { id: string; publicKey: Uint8Array }): boolean {
  return credential.id === responseId
    && Buffer.from(credential.id, 'base64url').length <= MAX_CREDENTIAL_ID_BYTES
    && credential.publicKey.length <= MAX_PUBLIC_KEY_BYTES;
}

/**
 * The challenge a response signed, read from its clientDataJSON: the key to the stored challenge. The
 * relying-party library checks the rest of clientDataJSON (type, origin) afterwards.
 */
export function signedChallenge(response: { response: { clientDataJSON: string } }): string | null {
  try {
    const clientData: unknown = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8'));
    const challenge = isObject(clientData) ? clientData.challenge : undefined;
    return isBase64url(challenge, 88) && challenge.length > 0 ? challenge : null;
  } catch {
    return null;
  }
}

function readCommon(body: unknown) {
  if (!isObject(body) || !isObject(body.response)) return null;
  if (body.type !== 'public-key' || !isBase64url(body.id, MAX_ID) || body.id.length === 0 || body.rawId !== body.id) return null;
  if (!isBase64url(body.response.clientDataJSON, MAX_FIELD)) return null;
  if (body.clientExtensionResults !== undefined && !isObject(body.clientExtensionResults)) return null;
  const attachment: AuthenticatorAttachment | undefined =
    body.authenticatorAttachment === 'platform' || body.authenticatorAttachment === 'cross-platform' ? body.authenticatorAttachment : undefined;
  return {
    credential: { id: body.id, rawId: body.id, type: 'public-key' as const, clientExtensionResults: {}, authenticatorAttachment: attachment },
    response: body.response,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBase64url(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max && BASE64URL.test(value);
}
