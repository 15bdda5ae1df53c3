import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  WebAuthnError,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/browser';

/** Why the browser's passkey prompt gave no credential. */
export type PasskeyProblem = 'cancelled' | 'unsupported' | 'already_registered' | 'failed';

/** The browser (not the API) refused or gave up: nothing reached Twofold. */
export class PasskeyPromptError extends Error {
  constructor(readonly problem: PasskeyProblem) {
    super(`passkey prompt: ${problem}`);
  }
}

function problemOf(error: unknown): PasskeyProblem {
  if (error instanceof WebAuthnError && error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return 'already_registered';
  const name = error instanceof WebAuthnError ? (error.cause as { name?: string } | undefined)?.name : (error as { name?: string } | null)?.name;
  // Browsers answer NotAllowedError alike for a closed prompt, a timeout and "no passkey here" (so a
  // site cannot probe which passkeys exist): all of them read as "the prompt was closed".
  if (name === 'NotAllowedError' || name === 'AbortError') return 'cancelled';
  if (name === 'NotSupportedError') return 'unsupported';
  return 'failed';
}

async function prompt<T>(ceremony: () => Promise<T>): Promise<T> {
  if (!browserSupportsWebAuthn()) throw new PasskeyPromptError('unsupported');
  try {
    return await ceremony();
  } catch (error) {
    throw new PasskeyPromptError(problemOf(error));
  }
}

/** Asks the browser to make a passkey for the options the API gave (POST /me/factors). */
export const createPasskey = (optionsJSON: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON> =>
  prompt(() => startRegistration({ optionsJSON }));

/** Asks the browser to sign the API's challenge with a passkey (POST /auth/mfa/challenge). */
export const signWithPasskey = (optionsJSON: PublicKeyCredentialRequestOptionsJSON): Promise<AuthenticationResponseJSON> =>
  prompt(() => startAuthentication({ optionsJSON }));

export type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON };
