import { createHmac, timingSafeEqual } from 'node:crypto';
import { keyIdFor, type SecretKeyring } from './secret-box';

const MIN_KEY_BYTES = 32;

/**
 * Keyed hashes of one-time codes and recovery codes, so the database never holds a usable code.
 *
 * A keyed HMAC (not a plain or slow hash) because the codes are short: without the key, a leaked
 * table of hashes of 6-digit codes could be brute-forced in microseconds.
 *
 * Keys rotate like the secret box's: the current key hashes new values, every configured key still
 * matches old ones. Recovery codes live for months and cannot be re-hashed (only their hash is kept),
 * so a retired key must stay configured until no live code was hashed under it (`keys:status`).
 */
export class CodeHasher {
  private readonly keyring: SecretKeyring;

  constructor(keys: Buffer | SecretKeyring) {
    this.keyring = Buffer.isBuffer(keys) ? { currentKeyId: keyIdFor(keys), keys: { [keyIdFor(keys)]: keys } } : keys;
    for (const key of Object.values(this.keyring.keys)) {
      if (key.length < MIN_KEY_BYTES) throw new Error(`CodeHasher: key must be at least ${MIN_KEY_BYTES} bytes`);
    }
    if (!this.keyring.keys[this.keyring.currentKeyId]) throw new Error(`CodeHasher: current key id "${this.keyring.currentKeyId}" is not in the keyring`);
  }

  /** The id of the key new hashes are made with (stored beside long-lived hashes). */
  get currentKeyId(): string {
    return this.keyring.currentKeyId;
  }

  /**
   * HMAC-SHA256 (hex) of `value` bound to `salt` (a factor, challenge or subject id), so one hash
   * cannot be replayed for another factor or account. Made with the current key.
   */
  hash(value: string, salt: string): string {
    return hmac(this.keyring.keys[this.keyring.currentKeyId], value, salt);
  }

  /** The hash under every configured key, current first: for lookups by equality (`code_hash = ANY(…)`). */
  hashes(value: string, salt: string): string[] {
    const ids = [this.keyring.currentKeyId, ...Object.keys(this.keyring.keys).filter((id) => id !== this.keyring.currentKeyId)];
    return ids.map((id) => hmac(this.keyring.keys[id], value, salt));
  }

  /** Compares in constant time, so response timing reveals nothing about how much of a code was right. */
  matches(value: string, salt: string, expectedHash: string): boolean {
    const expected = Buffer.from(expectedHash, 'utf8');
    // Every key is tried (no early exit), so the time taken does not say which key a code was hashed under.
    let matched = false;
    for (const candidate of this.hashes(value, salt)) {
      const actual = Buffer.from(candidate, 'utf8');
      // timingSafeEqual throws on unequal lengths; a hash's length is public, so checking it leaks nothing.
      if (actual.length === expected.length && timingSafeEqual(actual, expected)) matched = true;
    }
    return matched;
  }
}

function hmac(key: Buffer, value: string, salt: string): string {
  return createHmac('sha256', key).update(lengthPrefixed(salt, value)).digest('hex');
}

// Each part is preceded by its byte length, so ("ab", "c") and ("a", "bc") never hash alike.
function lengthPrefixed(...parts: string[]): Buffer {
  return Buffer.concat(
    parts.flatMap((part) => {
      const bytes = Buffer.from(part, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return [length, bytes];
    }),
  );
}
