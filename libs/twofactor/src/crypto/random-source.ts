import { randomBytes, randomInt } from 'node:crypto';

/** Randomness, injected so tests can make codes and secrets predictable. */
export abstract class RandomSource {
  abstract bytes(length: number): Buffer;
  /** A uniformly distributed integer in [0, max). */
  abstract int(max: number): number;

  /** A string of `length` decimal digits, each uniformly distributed (leading zeros allowed). */
  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String(this.int(10));
    return out;
  }
}

/** The operating system's CSPRNG. */
export class CryptoRandomSource extends RandomSource {
  bytes(length: number): Buffer {
    return randomBytes(length);
  }

  int(max: number): number {
    return randomInt(max);
  }
}
