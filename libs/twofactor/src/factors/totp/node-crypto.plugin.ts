import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AlgorithmUnsupportedError, type CryptoPlugin, type HashAlgorithm } from 'otplib';

const ALGORITHMS: readonly HashAlgorithm[] = ['sha1', 'sha256', 'sha512'];

/**
 * otplib's HMAC on node:crypto (OpenSSL) rather than its default pure-JavaScript one: a wrong code
 * checks three time steps, and each HMAC in JavaScript cost more than the rest of the TOTP check.
 * Only the primitive changes; otplib still does the windows, the replay rule and the comparison.
 */
export class NodeCryptoPlugin implements CryptoPlugin {
  readonly name = 'node';
  readonly algorithms = ALGORITHMS;

  hmac(algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
    // otplib's contract: 'SHA1', 'sha-1' and 'Sha_1' all name SHA-1; anything else is refused, never defaulted.
    const normalised = String(algorithm).toLowerCase().replace(/^sha[-_]/, 'sha') as HashAlgorithm;
    if (!ALGORITHMS.includes(normalised)) throw new AlgorithmUnsupportedError(String(algorithm));
    return createHmac(normalised, key).update(data).digest();
  }

  randomBytes(length: number): Uint8Array {
    return randomBytes(length);
  }

  constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
    const [left, right] = [Buffer.from(a), Buffer.from(b)];
    return left.length === right.length && timingSafeEqual(left, right);
  }
}
