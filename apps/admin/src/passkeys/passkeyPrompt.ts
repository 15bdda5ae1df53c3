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

/** Why the browser's passkey prompt gave no credential; each has a text under twofold.passkey.problem. */
export type PasskeyProblem = 'cancelled' | 'unsupported' | 'already_registered' | 'failed';

/** The browser (not the API) refused or gave up: nothing was sent to Twofold. */
export class PasskeyPromptError extends Error {
  constructor(readonly problem: PasskeyProblem) {
    super(`passkey prompt: ${problem}`);
  }
}

function problemOf(error: unknown): PasskeyProblem {
  if (error instanceof WebAuthnError && error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return 'already_registered';
  const cause = error instanceof WebAuthnError ? error.cause : error;
  const name = (cause as { name?: string } | null)?.name;
  // Browsers say NotAllowedError alike for a closed prompt, a timeout and "no passkey here" (a site may
  // not learn which passkeys exist), so all of them read as "the prompt was closed".
  if (name === 'NotAllowedError' || name === 'AbortError') return 'cancelled';
  return name === 'NotSupportedError' ? 'unsupported' : 'failed';
}

async function prompt<T>(ceremony: () => Promise<T>): Promise<T> {
  if (!browserSupportsWebAuthn()) throw new PasskeyPromptError('unsupported');
  try {
    return await ceremony();
  } catch (error) {
    throw new PasskeyPromptError(problemOf(error));
  }
}

/** The browser makes a passkey for the creation options from POST /admin/me/factors. */
export const createPasskey = (optionsJSON: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON> =>
  prompt(() => startRegistration({ optionsJSON }));

/** The browser signs the challenge from POST /admin/auth/mfa/challenge with the passkey. */
export const signWithPasskey = (optionsJSON: PublicKeyCredentialRequestOptionsJSON): Promise<AuthenticationResponseJSON> =>
  prompt(() => startAuthentication({ optionsJSON }));

export const isClosedPrompt = (error: unknown): boolean => error instanceof PasskeyPromptError && error.problem === 'cancelled';

export type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON };
