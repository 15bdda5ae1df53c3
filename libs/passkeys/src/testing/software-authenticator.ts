import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { CborMap, encodeCbor } from './cbor';

/** What a test may falsify in one ceremony, to see the relying party refuse it. */
export interface Ceremony {
  /** The origin the "browser" reports in clientDataJSON (default: the authenticator's own). */
  origin?: string;
  /** The RP id whose hash goes into authenticatorData (default: the options' RP id). */
  rpId?: string;
  /** clientDataJSON's type (default webauthn.create / webauthn.get). */
  type?: string;
  /** The challenge echoed back (default: the options' challenge). */
  challenge?: string;
  /** The signature counter to report (default: one more than the last). */
  counter?: number;
  /** Sign with this credential, whatever allowCredentials says (a credential of another account). */
  credentialId?: string;
  /** The user-present flag (default set): an authenticator that never asked for a touch clears it. */
  userPresent?: boolean;
  /** The user-verified flag (default set): no PIN or biometric asked clears it. */
  userVerified?: boolean;
}

/**
 * What a test may break in an assertion once it is signed, so that only the signature check can see it:
 * a flipped signature bit, authenticatorData (the counter) or clientDataJSON (an extra member) changed.
 */
export type Tampering = 'signature' | 'authenticatorData' | 'clientDataJSON';

/** What a test may falsify in an assertion, beyond the common lies. */
export interface AssertionCeremony extends Ceremony {
  tamper?: Tampering;
  /** Name the right credential but sign with a key of another (an attacker who copied the id). */
  signWithAnotherKey?: boolean;
  /** Leave out userHandle, as a non-discoverable (server-side) credential does. */
  withoutUserHandle?: boolean;
}

/** What a test may falsify in a registration, beyond the common lies. */
export interface RegistrationCeremony extends Ceremony {
  /** The length in bytes of the new credential's id (default 16). */
  credentialIdBytes?: number;
  /** The id the response names, other than the one in the attested authenticator data. */
  claimedId?: string;
  /** Bytes of an extra, unknown parameter in the COSE public key, to make it as large as a test needs. */
  publicKeyPadding?: number;
  /** The key's algorithm (default ES256); the options must offer it. */
  algorithm?: Algorithm;
}

/** ES256 (P-256, ECDSA-SHA256) as every platform authenticator; RS256 (RSASSA-PKCS1-v1_5, SHA-256) as Windows Hello. */
export type Algorithm = 'ES256' | 'RS256';
const COSE_ALGORITHM: Record<Algorithm, number> = { ES256: -7, RS256: -257 };

interface HeldCredential {
  id: Buffer;
  rpId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  algorithm: Algorithm;
  userHandle: string;
  counter: number;
}

// authenticatorData flags (WebAuthn §6.1): user present, user verified, attested credential data included.
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

/**
 * A platform authenticator in process, for tests: P-256 (ES256) or RSA (RS256) keys from node:crypto,
 * 'none' attestation, and assertions signed as a real authenticator signs them (ECDSA-SHA256 in DER, or
 * PKCS#1 v1.5), so the responses it produces are checked by the relying party exactly like a browser's.
 */
export class SoftwareAuthenticator {
  private readonly held = new Map<string, HeldCredential>();

  constructor(private readonly origin: string) {}

  /** Answers navigator.credentials.create() for these options with a new credential. */
  register(options: PublicKeyCredentialCreationOptionsJSON, ceremony: RegistrationCeremony = {}): RegistrationResponseJSON {
    const algorithm = ceremony.algorithm ?? 'ES256';
    if (!options.pubKeyCredParams.some((param) => param.alg === COSE_ALGORITHM[algorithm])) throw new Error(`SoftwareAuthenticator: the options do not offer ${algorithm}`);
    const rpId = ceremony.rpId ?? options.rp.id ?? new URL(this.origin).hostname;
    // As a browser does: an authenticator already holding an excluded credential refuses to make another.
    if (options.excludeCredentials?.some((excluded) => this.held.get(excluded.id)?.rpId === rpId)) {
      throw new Error('SoftwareAuthenticator: InvalidStateError (this authenticator already holds an excluded credential)');
    }
    const { privateKey, publicKey } = newKeyPair(algorithm);
    const credential: HeldCredential = { id: randomBytes(ceremony.credentialIdBytes ?? 16), rpId, privateKey, publicKey, algorithm, userHandle: options.user.id, counter: ceremony.counter ?? 0 };
    const heldId = credential.id.toString('base64url');
    this.held.set(heldId, credential);
    const id = ceremony.claimedId ?? heldId;

    const attested = Buffer.concat([Buffer.alloc(16) /* aaguid: none */, uint16(credential.id.length), credential.id, coseKey(publicKey, ceremony.publicKeyPadding)]);
    const authenticatorData = Buffer.concat([sha256(rpId), Buffer.from([flags(ceremony) | AT]), uint32(credential.counter), attested]);
    const attestationObject = encodeCbor(new Map<string, Buffer | string | CborMap>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authenticatorData]]));
    const clientDataJSON = this.clientData(ceremony.type ?? 'webauthn.create', ceremony.challenge ?? options.challenge, ceremony.origin);
    return {
      id,
      rawId: id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        attestationObject: attestationObject.toString('base64url'),
        authenticatorData: authenticatorData.toString('base64url'),
        publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64url'),
        publicKeyAlgorithm: COSE_ALGORITHM[algorithm],
        transports: ['internal'],
      },
    };
  }

  /** Answers navigator.credentials.get() for these options with a signed assertion. */
  authenticate(options: PublicKeyCredentialRequestOptionsJSON, ceremony: AssertionCeremony = {}): AuthenticationResponseJSON {
    const credential = this.pick(options, ceremony);
    const rpId = ceremony.rpId ?? options.rpId ?? credential.rpId;
    credential.counter = ceremony.counter ?? credential.counter + 1;
    let authenticatorData = Buffer.concat([sha256(rpId), Buffer.from([flags(ceremony)]), uint32(credential.counter)]);
    let clientDataJSON = this.clientData(ceremony.type ?? 'webauthn.get', ceremony.challenge ?? options.challenge, ceremony.origin);
    const key = ceremony.signWithAnotherKey ? newKeyPair(credential.algorithm).privateKey : credential.privateKey;
    // The signed data is authenticatorData followed by the hash of clientDataJSON (WebAuthn §6.3.3).
    const signature = sign('sha256', Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()]), key);
    // Tampering after signing: every other check still passes, only the signature no longer matches.
    if (ceremony.tamper === 'signature') signature[signature.length - 1] ^= 0x01;
    if (ceremony.tamper === 'authenticatorData') authenticatorData = Buffer.concat([authenticatorData.subarray(0, 33), uint32(credential.counter + 1000)]);
    if (ceremony.tamper === 'clientDataJSON') clientDataJSON = Buffer.from(JSON.stringify({ ...JSON.parse(clientDataJSON.toString('utf8')), tampered: true }), 'utf8');
    const id = credential.id.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authenticatorData.toString('base64url'),
        signature: signature.toString('base64url'),
        userHandle: ceremony.withoutUserHandle ? undefined : credential.userHandle,
      },
    };
  }

  /** The ids of the credentials this authenticator holds, oldest first. */
  credentialIds(): string[] {
    return [...this.held.keys()];
  }

  private pick(options: PublicKeyCredentialRequestOptionsJSON, ceremony: Ceremony): HeldCredential {
    const wanted = ceremony.credentialId ?? options.allowCredentials?.find((allowed) => this.held.has(allowed.id))?.id;
    // No allowCredentials: a discoverable credential for the RP, as a passkey sign-in without a username does.
    const credential = wanted ? this.held.get(wanted) : [...this.held.values()].find((held) => held.rpId === options.rpId);
    if (!credential) throw new Error('SoftwareAuthenticator: NotAllowedError (no matching credential)');
    return credential;
  }

  private clientData(type: string, challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
  }
}

function newKeyPair(algorithm: Algorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  return algorithm === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

function flags(ceremony: Ceremony): number {
  return (ceremony.userPresent === false ? 0 : UP) | (ceremony.userVerified === false ? 0 : UV);
}

/**
 * A public key as a COSE_Key (RFC 9053): EC2 (kty 2, alg ES256, crv P-256, x, y) or RSA (kty 3, alg
 * RS256, n, e), and padding, if asked.
 */
function coseKey(publicKey: KeyObject, padding?: number): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  const key = jwk.kty === 'RSA'
    ? new Map<number, number | Buffer>([[1, 3], [3, -257], [-1, Buffer.from(jwk.n!, 'base64url')], [-2, Buffer.from(jwk.e!, 'base64url')]])
    : new Map<number, number | Buffer>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]);
  // A private-use label (RFC 9052 §7.1: less than -65536), so no verifier takes it for a real parameter.
  if (padding) key.set(-70000, Buffer.alloc(padding));
  return encodeCbor(key);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function uint16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value);
  return out;
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}
