import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  WebAuthnCredential,
} from '@simplewebauthn/server';
import { SoftwareAuthenticator } from './software-authenticator';

const origin = 'https://twofold.example';
const rpID = 'twofold.example';

/** Registers one credential and returns what a relying party would have stored. */
async function registered(authenticator: SoftwareAuthenticator): Promise<WebAuthnCredential> {
  const options = await generateRegistrationOptions({ rpName: 'Twofold', rpID, userName: 'jane@example.com', attestationType: 'none', supportedAlgorithmIDs: [-7, -257] });
  const verified = await verifyRegistrationResponse({ response: authenticator.register(options), expectedChallenge: options.challenge, expectedOrigin: origin, expectedRPID: rpID });
  if (!verified.verified) throw new Error('registration not verified');
  return verified.registrationInfo.credential;
}

describe(SoftwareAuthenticator.name, () => {
  it('makes a registration that @simplewebauthn/server verifies, with an ES256 key and no attestation', async () => {
    const authenticator = new SoftwareAuthenticator(origin);
    const options = await generateRegistrationOptions({ rpName: 'Twofold', rpID, userName: 'jane@example.com', attestationType: 'none' });
    const response = authenticator.register(options);
    const verified = await verifyRegistrationResponse({ response, expectedChallenge: options.challenge, expectedOrigin: origin, expectedRPID: rpID });
    expect(verified.verified).toBe(true);
    expect(verified.registrationInfo).toMatchObject({ fmt: 'none', userVerified: true, credential: { id: response.id, counter: 0 } });
  });

  it('makes assertions that verify against the registered key, the counter rising each time', async () => {
    const authenticator = new SoftwareAuthenticator(origin);
    const credential = await registered(authenticator);
    for (const expected of [1, 2]) {
      const options = await generateAuthenticationOptions({ rpID, allowCredentials: [{ id: credential.id }] });
      const verified = await verifyAuthenticationResponse({ response: authenticator.authenticate(options), expectedChallenge: options.challenge, expectedOrigin: origin, expectedRPID: rpID, credential });
      expect(verified).toMatchObject({ verified: true, authenticationInfo: { newCounter: expected } });
      credential.counter = verified.authenticationInfo.newCounter;
    }
  });

  it('can be told to lie (origin, RP id, counter), and a lie fails verification', async () => {
    const authenticator = new SoftwareAuthenticator(origin);
    const credential = await registered(authenticator);
    const options = await generateAuthenticationOptions({ rpID, allowCredentials: [{ id: credential.id }] });
    const check = (response: ReturnType<SoftwareAuthenticator['authenticate']>) =>
      verifyAuthenticationResponse({ response, expectedChallenge: options.challenge, expectedOrigin: origin, expectedRPID: rpID, credential: { ...credential, counter: 5 } });
    await expect(check(authenticator.authenticate(options, { origin: 'https://evil.example' }))).rejects.toThrow(/origin/i);
    await expect(check(authenticator.authenticate(options, { rpId: 'evil.example' }))).rejects.toThrow(/RP ID/i);
    await expect(check(authenticator.authenticate(options, { counter: 3 }))).rejects.toThrow(/counter/i);
  });

  it('can tamper with an assertion after signing, and only the signature check then fails', async () => {
    const authenticator = new SoftwareAuthenticator(origin);
    const credential = await registered(authenticator);
    for (const ceremony of [{ tamper: 'signature' }, { tamper: 'authenticatorData' }, { tamper: 'clientDataJSON' }, { signWithAnotherKey: true }] as const) {
      const options = await generateAuthenticationOptions({ rpID, allowCredentials: [{ id: credential.id }] });
      const verified = await verifyAuthenticationResponse({ response: authenticator.authenticate(options, ceremony), expectedChallenge: options.challenge, expectedOrigin: origin, expectedRPID: rpID, credential });
      expect(verified.verified).toBe(false);
    }
  });

  it('makes RS256 keys that verify', async () => {
    const authenticator = new SoftwareAuthenticator(origin);
    const options = await generateRegistrationOptions({ rpName: 'Twofold', rpID, userName: 'jane@example.com', attestationType: 'none', supportedAlgorithmIDs: [-7, -257] });
    const registration = await verifyRegistrationResponse({ response: authenticator.register(options, { algorithm: 'RS256' }), expectedChallenge: options.challenge, expectedOrigin: origin, expectedRPID: rpID });
    if (!registration.verified) throw new Error('registration not verified');
    const request = await generateAuthenticationOptions({ rpID, allowCredentials: [{ id: registration.registrationInfo.credential.id }] });
    const verified = await verifyAuthenticationResponse({
      response: authenticator.authenticate(request), expectedChallenge: request.challenge, expectedOrigin: origin, expectedRPID: rpID, credential: registration.registrationInfo.credential,
    });
    expect(verified.verified).toBe(true);
  });

  it('refuses, as a browser does, to register a second credential that the options exclude', async () => {
    const authenticator = new SoftwareAuthenticator(origin);
    const credential = await registered(authenticator);
    const options = await generateRegistrationOptions({ rpName: 'Twofold', rpID, userName: 'jane@example.com', excludeCredentials: [{ id: credential.id }] });
    expect(() => authenticator.register(options)).toThrow(/InvalidStateError/);
  });
});
