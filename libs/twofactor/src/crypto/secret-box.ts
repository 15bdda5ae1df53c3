import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { RandomSource } from './random-source';

/** The keys a SecretBox may use: one current key to seal with, any number of older keys to open with. */
export interface SecretKeyring {
  currentKeyId: string;
  keys: Record<string, Buffer>;
}

/** Raised when a sealed value cannot be opened. The message never contains the plaintext or a key. */
export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

/** The value was sealed under a key id that is no longer configured (retired too early, or a missing key). */
export class SecretKeyMissingError extends SecretBoxError {
  override name = 'SecretKeyMissingError';
  constructor(readonly keyId: string) {
    super(`Sealed value uses unknown key id "${keyId}"`);
  }
}

const FORMAT_VERSION = 'v1';
const KEY_BYTES = 32; // AES-256
const IV_BYTES = 12; // the GCM standard nonce size
const TAG_BYTES = 16; // full-length tag: truncated tags weaken GCM's forgery resistance
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]*$/;

/**
 * A short, non-secret fingerprint of a key (first 8 hex characters of its SHA-256), so key ids
 * can be derived from the keys themselves instead of being configured separately.
 */
export function keyIdFor(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * AES-256-GCM encryption of small secrets (TOTP seeds) at rest.
 *
 * The sealed form is `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts): the key id travels with
 * the ciphertext so keys can be rotated — new values are sealed with the current key while older
 * values still open with the key they were sealed with.
 */
export class SecretBox {
  constructor(
    private readonly keyring: SecretKeyring,
    private readonly random: RandomSource,
  ) {
    for (const [keyId, key] of Object.entries(keyring.keys)) {
      // Key ids are embedded in a dot-separated string, so they must not contain dots.
      if (!KEY_ID_PATTERN.test(keyId)) throw new Error(`SecretBox: invalid key id "${keyId}"`);
      if (key.length !== KEY_BYTES) throw new Error(`SecretBox: key "${keyId}" must be ${KEY_BYTES} bytes`);
    }
    if (!keyring.keys[keyring.currentKeyId]) {
      throw new Error(`SecretBox: current key id "${keyring.currentKeyId}" is not in the keyring`);
    }
  }

  get currentKeyId(): string {
    return this.keyring.currentKeyId;
  }

  /**
   * Encrypts `plaintext`. `aad` (e.g. the factor id) is authenticated but not stored, so the
   * ciphertext only opens in the same context: a sealed seed copied onto another row fails.
   */
  seal(plaintext: string, aad?: string): string {
    const keyId = this.keyring.currentKeyId;
    // A fresh random IV per message: reusing an IV under one GCM key leaks plaintext and the auth key.
    const iv = this.random.bytes(IV_BYTES);
    if (iv.length !== IV_BYTES) throw new Error('SecretBox: random source returned a short IV');
    const cipher = createCipheriv('aes-256-gcm', this.keyring.keys[keyId], iv, { authTagLength: TAG_BYTES });
    if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [FORMAT_VERSION, keyId, iv.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join('.');
  }

  /** Decrypts a value made by `seal`; throws SecretBoxError if it is malformed, tampered with or sealed for another `aad`. */
  open(sealed: string, aad?: string): string {
    const { keyId, iv, ciphertext, tag } = parseSealed(sealed);
    const key = this.keyring.keys[keyId];
    if (!key) throw new SecretKeyMissingError(keyId);
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('Sealed value failed authentication (tampered, wrong key or wrong context)');
    }
  }

  /** True when `sealed` was made with an older key and should be re-sealed with the current one. */
  needsReseal(sealed: string): boolean {
    return parseSealed(sealed).keyId !== this.keyring.currentKeyId;
  }

  /** Opens with whichever key sealed it and seals again under the current key (same `aad`). */
  reseal(sealed: string, aad?: string): string {
    return this.seal(this.open(sealed, aad), aad);
  }
}

function parseSealed(sealed: string): { keyId: string; iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== FORMAT_VERSION) {
    throw new SecretBoxError(`Sealed value is not in the ${FORMAT_VERSION} format`);
  }
  const [, keyId, ivPart, ciphertextPart, tagPart] = parts;
  // Buffer.from(…, 'base64url') silently skips bad characters, so check the alphabet first.
  if (!KEY_ID_PATTERN.test(keyId) || ![ivPart, ciphertextPart, tagPart].every((p) => BASE64URL_PATTERN.test(p))) {
    throw new SecretBoxError('Sealed value is malformed');
  }
  const iv = Buffer.from(ivPart, 'base64url');
  const tag = Buffer.from(tagPart, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('Sealed value is malformed');
  return { keyId, iv, ciphertext: Buffer.from(ciphertextPart, 'base64url'), tag };
}
