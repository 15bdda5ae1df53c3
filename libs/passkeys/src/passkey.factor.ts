import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import {
  Clock,
  type EnrolInput,
  type FactorAnswer,
  FactorEntity,
  FactorKind,
  isUuid,
  type Prepared,
  RandomSource,
  type SecondFactor,
  type VerifyOutcome,
} from '@app/twofactor';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { PasskeyStore } from './passkey.store';
import type { PasskeysOptions } from './passkeys.options';
import { VALIDATED_PASSKEYS_OPTIONS } from './passkeys.tokens';
import { readAuthentication, readRegistration, signedChallenge, storableCredential } from './webauthn/responses';

/** The factor type name: stored in mfa_factors.type, named in realm policies. */
export const PASSKEY_TYPE = 'passkey';

/** COSE algorithms offered and accepted: ES256 (every platform authenticator) and RS256 (Windows Hello). */
const ALGORITHMS = [-7, -257];
/** 32 random bytes: twice WebAuthn's minimum of 16. */
const CHALLENGE_BYTES = 32;
const USER_HANDLE_BYTES = 16;
const LABEL_MAX = 64;
/** Every way a passkey can fail looks the same to the client, whatever went wrong. */
const REFUSED: VerifyOutcome = { result: 'invalid', errorCode: 'invalid_credential' };

/**
 * Passkeys (WebAuthn): a key pair in the subject's authenticator, bound to this site's origin, so a
 * phishing page on another origin gets nothing it can replay. One credential per factor.
 */
@Injectable()
@FactorKind()
export class PasskeyFactor implements SecondFactor {
  readonly type = PASSKEY_TYPE;
  readonly label = 'Passkey';
  // RFC 8176 'pop' (proof of possession of a key), not 'hwk': with attestation 'none' we cannot know
  // whether the key is hardware-bound or a synced passkey, so claiming hardware would overstate it.
  readonly amr = 'pop';
  readonly sendsCodes = false;
  readonly mayBePrimary = true;
  readonly assurance = 'phishing_resistant';

  private readonly store: PasskeyStore;

  constructor(
    @Inject(VALIDATED_PASSKEYS_OPTIONS) private readonly options: Required<PasskeysOptions>,
    private readonly random: RandomSource,
    private readonly clock: Clock,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {
    this.store = new PasskeyStore(txHost);
  }

  /** Creation options for the browser, their challenge stored against the new pending factor. */
  async enrol(factor: FactorEntity, input: EnrolInput): Promise<Prepared<Record<string, unknown>>> {
    // The label lives on the factor row, where hint() can read it: the factor is the passkey.
    factor.destination = normaliseLabel(input.label);
    await this.txHost.tx.update(FactorEntity, { id: factor.id }, { destination: factor.destination });

    const existing = await this.subjectCredentials(factor);
    // One opaque handle per subject, reused for each new passkey; never the email, which the
    // authenticator would keep and show, and which may change.
    const userHandle = existing[0]?.userHandle ?? this.random.bytes(USER_HANDLE_BYTES).toString('base64url');
    const now = this.clock.now();
    const options = await generateRegistrationOptions({
      rpName: this.options.rpName,
      rpID: this.options.rpId,
      userName: input.email,
      userDisplayName: input.email,
      userID: new Uint8Array(Buffer.from(userHandle, 'base64url')),
      challenge: new Uint8Array(this.random.bytes(CHALLENGE_BYTES)),
      timeout: this.options.challengeTtlSeconds * 1000,
      attestationType: 'none',
      excludeCredentials: existing.map((credential) => ({ id: credential.credentialId, transports: credential.transports })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      supportedAlgorithmIDs: ALGORITHMS,
    });
    await this.store.issueChallenge({ factorId: factor.id, mfaChallengeId: null, challenge: options.challenge, userHandle, now, expiresAt: this.expiry(now) });
    return { result: { options } };
  }

  /**
   * Request options for one sign-in, or (challengeId null) for a check of the active factor outside any
   * sign-in: this factor's credential only, a challenge bound to that sign-in or to the check.
   */
  async challengeOptions(factor: FactorEntity, challengeId: string | null): Promise<Record<string, unknown>> {
    const credentials = await this.store.credentialsOf([factor.id]);
    const now = this.clock.now();
    const options = await generateAuthenticationOptions({
      rpID: this.options.rpId,
      allowCredentials: credentials.map((credential) => ({ id: credential.credentialId, transports: credential.transports })),
      challenge: new Uint8Array(this.random.bytes(CHALLENGE_BYTES)),
      timeout: this.options.challengeTtlSeconds * 1000,
      userVerification: 'preferred',
    });
    // A check's challenge keeps the credential's user handle, as an enrolment's does: the table tells a
    // challenge outside a sign-in by it. Which of the two it is follows from the factor being active.
    const userHandle = challengeId === null ? (credentials[0]?.userHandle ?? null) : null;
    await this.store.issueChallenge({ factorId: factor.id, mfaChallengeId: challengeId, challenge: options.challenge, userHandle, now, expiresAt: this.expiry(now) });
    return { options };
  }

  /**
   * An assertion, for a sign-in (challengeId) or for a check of the active factor outside any sign-in
   * (null); otherwise (null, a pending factor) the registration that confirms its enrolment.
   */
  async verify(factor: FactorEntity, answer: FactorAnswer, challengeId: string | null): Promise<VerifyOutcome> {
    const enrolment = challengeId === null && factor.status !== 'active';
    const accepted = enrolment ? await this.register(factor, answer.credential) : await this.assert(factor, answer.credential, challengeId);
    return accepted ? { result: 'ok' } : REFUSED;
  }

  hint(factor: FactorEntity): string {
    return factor.destination ? `${this.label} · ${factor.destination}` : this.label;
  }

  private async register(factor: FactorEntity, body: unknown): Promise<boolean> {
    const response = readRegistration(body);
    const challenge = response && signedChallenge(response);
    if (!response || !challenge) return false;
    const now = this.clock.now();
    const userHandle = await this.store.spendChallenge(factor.id, null, challenge, now);
    if (!userHandle) return false;
    let verified;
    try {
      verified = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.options.origins,
        expectedRPID: this.options.rpId,
        expectedType: 'webauthn.create',
        // Presence is enough for a second factor: the password was the knowledge factor.
        requireUserVerification: false,
        supportedAlgorithmIDs: ALGORITHMS,
      });
    } catch {
      // The library's messages quote the challenges: nothing of them is logged or returned.
      return false;
    }
    if (!verified.verified) return false;
    const { credential, aaguid } = verified.registrationInfo;
    if (!storableCredential(response.id, credential)) return false;
    return this.store.addCredential({
      factorId: factor.id,
      credentialId: credential.id,
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: response.response.transports ?? [],
      userHandle,
      aaguid: isUuid(aaguid) ? aaguid : null,
      now,
    });
  }

  private async assert(factor: FactorEntity, body: unknown, challengeId: string | null): Promise<boolean> {
    const response = readAuthentication(body);
    const challenge = response && signedChallenge(response);
    if (!response || !challenge) return false;
    const now = this.clock.now();
    // Spent first, whatever follows: a refused assertion cannot be retried with the same challenge.
    if ((await this.store.spendChallenge(factor.id, challengeId, challenge, now)) === null) return false;
    // Only this factor's own credential: a valid assertion by another account's passkey proves nothing here.
    const [credential] = (await this.store.credentialsOf([factor.id])).filter((candidate) => candidate.credentialId === response.id);
    if (!credential) return false;
    if (response.response.userHandle && response.response.userHandle !== credential.userHandle) return false;
    let verified;
    try {
      // Also refuses a signature counter that did not move forward (unless both are 0, as synced passkeys report).
      verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.options.origins,
        expectedRPID: this.options.rpId,
        expectedType: 'webauthn.get',
        credential: { id: credential.credentialId, publicKey: credential.publicKey, counter: credential.counter, transports: credential.transports },
        requireUserVerification: false,
      });
    } catch {
      return false;
    }
    if (!verified.verified) return false;
    if (!(await this.store.advanceCounter(credential, verified.authenticationInfo.newCounter, now))) return false;
    factor.lastUsedAt = now;
    await this.txHost.tx.update(FactorEntity, { id: factor.id }, { lastUsedAt: now });
    return true;
  }

  /** The passkey credentials the subject already has in this realm (for excludeCredentials and the user handle). */
  private async subjectCredentials(factor: FactorEntity) {
    const factors = await this.txHost.tx.find(FactorEntity, { where: { realm: factor.realm, subjectId: factor.subjectId, type: this.type }, select: { id: true } });
    return this.store.credentialsOf(factors.map((candidate) => candidate.id));
  }

  private expiry(now: Date): Date {
    return new Date(now.getTime() + this.options.challengeTtlSeconds * 1000);
  }
}

/** What the subject called the passkey, made safe to show anywhere: one line, printable, bounded. */
function normaliseLabel(label: string | undefined): string | null {
  if (typeof label !== 'string') return null;
  const cleaned = [...label.replace(/[\p{Cc}\p{Cf}]/gu, ' ').replace(/\s+/g, ' ').trim()].slice(0, LABEL_MAX).join('').trim();
  return cleaned || null;
}
