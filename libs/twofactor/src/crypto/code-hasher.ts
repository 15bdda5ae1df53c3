import { createHmac, timingSafeEqual } from 'node:crypto';

const MIN_KEY_BYTES = 32;

/**
 * Keyed hashes of one-time codes and recovery codes, so the database never holds a usable code.
 *
 * A keyed HMAC (not a plain or slow hash) because the codes are short: without the key, a leaked
 * table of hashes of 6-digit codes could be brute-forced in microseconds.
 */
export class CodeHasher {
  constructor(private readonly key: Buffer) {
    if (key.length < MIN_KEY_BYTES) throw new Error(`CodeHasher: key must be at least ${MIN_KEY_BYTES} bytes`);
  }

  /**
   * HMAC-SHA256 (hex) of `value` bound to `salt` (a factor, challenge or subject id), so one hash
   * cannot be replayed for another factor or account.
   */
  hash(value: string, salt: string): string {
    return createHmac('sha256', this.key).update(lengthPrefixed(salt, value)).digest('hex');
  }

  /** Compares in constant time, so response timing reveals nothing about how much of a code was right. */
  matches(value: string, salt: string, expectedHash: string): boolean {
    const actual = Buffer.from(this.hash(value, salt), 'utf8');
    const expected = Buffer.from(expectedHash, 'utf8');
    // timingSafeEqual throws on unequal lengths; a hash's length is public, so checking it leaks nothing.
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
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
