import { RandomSource } from '../crypto/random-source';

// Crockford base32: digits and letters without I, L, O and U, so codes survive being read aloud or
// copied by hand (I/L look like 1, O like 0; U is dropped to avoid accidental words).
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_BYTES = 10; // 80 bits = exactly 16 symbols of 5 bits, so no symbol is more likely than another
const CODE_SYMBOLS = 16;
const GROUP_SIZE = 4;
const CANONICAL_PATTERN = new RegExp(`^[${ALPHABET}]{${CODE_SYMBOLS}}$`);

// Symbols people mistype for ones in the alphabet.
const LOOKALIKES: Record<string, string> = { O: '0', I: '1', L: '1' };

/** One random recovery code, formatted `XXXX-XXXX-XXXX-XXXX`. */
export function generateRecoveryCode(random: RandomSource): string {
  return formatRecoveryCode(encodeCrockford(random.bytes(CODE_BYTES)));
}

/** `count` distinct recovery codes, formatted. */
export function generateRecoveryCodes(random: RandomSource, count = 10): string[] {
  const codes = new Set<string>();
  // A collision among 80-bit codes is practically impossible; the cap only stops a broken
  // random source from looping forever.
  for (let attempts = 0; codes.size < count; attempts++) {
    if (attempts >= count * 10) throw new Error('generateRecoveryCodes: the random source keeps repeating itself');
    codes.add(generateRecoveryCode(random));
  }
  return [...codes];
}

/**
 * The canonical form of what a person typed (16 upper-case symbols, no hyphens) — the form to hash
 * and compare — or null when it cannot be a recovery code. Case, spaces and hyphens are ignored and
 * Crockford's look-alikes are mapped (O→0, I/L→1).
 */
export function normaliseRecoveryCode(input: string): string | null {
  const canonical = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[OIL]/g, (c) => LOOKALIKES[c]);
  return CANONICAL_PATTERN.test(canonical) ? canonical : null;
}

/** `XXXX-XXXX-XXXX-XXXX` from the canonical 16-symbol form. */
export function formatRecoveryCode(canonical: string): string {
  if (!CANONICAL_PATTERN.test(canonical)) throw new Error('formatRecoveryCode: not a canonical recovery code');
  return canonical.match(new RegExp(`.{${GROUP_SIZE}}`, 'g'))!.join('-');
}

// Big-endian 5-bit groups; callers pass a multiple of 5 bytes so no padding is needed.
function encodeCrockford(bytes: Buffer): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff; // 12 bits are enough: at most 4 left over + 8 new
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >> bits) & 0x1f];
    }
  }
  return out;
}
