import { randomBytes } from 'node:crypto';
import { CryptoRandomSource, RandomSource } from './random-source';
import { SecretBox, SecretBoxError, SecretKeyMissingError, keyIdFor } from './secret-box';

/** Returns the same bytes every time, to show that the IV really comes from the injected source. */
class RepeatingRandomSource extends RandomSource {
  constructor(private readonly fill: number) {
    super();
  }
  bytes(length: number): Buffer {
    return Buffer.alloc(length, this.fill);
  }
  int(): number {
    return 0;
  }
}

const oldKey = Buffer.alloc(32, 1);
const newKey = Buffer.alloc(32, 2);
const random = new CryptoRandomSource();

function box(currentKeyId: string, keys: Record<string, Buffer>): SecretBox {
  return new SecretBox({ currentKeyId, keys }, random);
}

/** Replaces one dot-separated part of a sealed value. */
function withPart(sealed: string, index: number, replace: (part: string) => string): string {
  const parts = sealed.split('.');
  parts[index] = replace(parts[index]);
  return parts.join('.');
}

function flipFirstByte(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] ^= 0x01;
  return bytes.toString('base64url');
}

describe(SecretBox.name, () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  it('round-trips a secret, with and without AAD', () => {
    const b = box('k1', { k1: oldKey });
    expect(b.open(b.seal(secret))).toBe(secret);
    expect(b.open(b.seal(secret, 'factor-1'), 'factor-1')).toBe(secret);
    expect(b.open(b.seal(''))).toBe('');
  });

  it('produces v1.<keyId>.<iv>.<ciphertext>.<tag> without the plaintext in it', () => {
    const sealed = box('k1', { k1: oldKey }).seal(secret);
    const [version, keyId, iv, ciphertext, tag] = sealed.split('.');
    expect(version).toBe('v1');
    expect(keyId).toBe('k1');
    expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(ciphertext, 'base64url')).toHaveLength(secret.length);
    expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
    expect(sealed).not.toContain(secret);
  });

  it('takes its IV from the injected random source', () => {
    const sealed = new SecretBox({ currentKeyId: 'k1', keys: { k1: oldKey } }, new RepeatingRandomSource(7)).seal(secret);
    expect(Buffer.from(sealed.split('.')[2], 'base64url')).toEqual(Buffer.alloc(12, 7));
  });

  it('uses a fresh IV each time, so equal secrets give different ciphertexts', () => {
    const b = box('k1', { k1: oldKey });
    expect(b.seal(secret)).not.toBe(b.seal(secret));
  });

  it('refuses to open with a different AAD, or with none when one was used', () => {
    const b = box('k1', { k1: oldKey });
    const sealed = b.seal(secret, 'factor-1');
    expect(() => b.open(sealed, 'factor-2')).toThrow(SecretBoxError);
    expect(() => b.open(sealed)).toThrow(/failed authentication/);
    expect(() => b.open(b.seal(secret), 'factor-1')).toThrow(SecretBoxError);
  });

  it.each([
    ['ciphertext', 3],
    ['tag', 4],
    ['iv', 2],
  ])('detects a tampered %s', (_name, index) => {
    const b = box('k1', { k1: oldKey });
    const tampered = withPart(b.seal(secret), index, flipFirstByte);
    expect(() => b.open(tampered)).toThrow(/failed authentication/);
  });

  it('refuses a truncated tag (GCM would otherwise accept short tags)', () => {
    const b = box('k1', { k1: oldKey });
    const truncated = withPart(b.seal(secret), 4, (p) => Buffer.from(p, 'base64url').subarray(0, 8).toString('base64url'));
    expect(() => b.open(truncated)).toThrow(/malformed/);
  });

  it.each(['', 'not-sealed', 'v2.k1.a.b.c', 'v1.k1.a.b', 'v1.k1.!!!.b.c.d', 'v1.k1.a.b.c.d'])('refuses the malformed value %p', (value) => {
    expect(() => box('k1', { k1: oldKey }).open(value)).toThrow(SecretBoxError);
  });

  it('names an unknown key id in its error', () => {
    const sealed = box('gone', { gone: oldKey }).seal(secret);
    expect(() => box('k2', { k2: newKey }).open(sealed)).toThrow(/unknown key id "gone"/);
  });

  it('does not open a value under another key that reuses the same id', () => {
    const sealed = box('k1', { k1: oldKey }).seal(secret);
    expect(() => box('k1', { k1: newKey }).open(sealed)).toThrow(/failed authentication/);
  });

  describe('key rotation', () => {
    const before = box('k1', { k1: oldKey });
    const after = box('k2', { k1: oldKey, k2: newKey });

    it('opens values sealed with an older key and seals new ones with the current key', () => {
      const old = before.seal(secret, 'f');
      expect(after.open(old, 'f')).toBe(secret);
      expect(after.seal(secret).split('.')[1]).toBe('k2');
    });

    it('re-seals an old value under the current key, still bound to its aad', () => {
      const resealed = after.reseal(before.seal(secret, 'f'), 'f');
      expect(after.needsReseal(resealed)).toBe(false);
      expect(box('k2', { k2: newKey }).open(resealed, 'f')).toBe(secret);
      expect(() => after.open(resealed, 'g')).toThrow(SecretBoxError);
    });

    it('raises SecretKeyMissingError, naming the key id, once the old key is gone', () => {
      const old = before.seal(secret);
      expect(() => box('k2', { k2: newKey }).open(old)).toThrow(SecretKeyMissingError);
      expect(() => box('k2', { k2: newKey }).open(old)).toThrow(/"k1"/);
    });

    it('says which values should be re-sealed', () => {
      expect(after.needsReseal(before.seal(secret))).toBe(true);
      expect(after.needsReseal(after.seal(secret))).toBe(false);
    });
  });

  describe('keyring validation', () => {
    it('refuses a current key id missing from the keyring', () => {
      expect(() => box('k9', { k1: oldKey })).toThrow(/not in the keyring/);
    });

    it('refuses a key that is not 32 bytes', () => {
      expect(() => box('k1', { k1: Buffer.alloc(16) })).toThrow(/32 bytes/);
    });

    it('refuses a key id that would break the format', () => {
      expect(() => box('a.b', { 'a.b': oldKey })).toThrow(/invalid key id/);
    });
  });
});

describe(keyIdFor.name, () => {
  it('is 8 hex characters, stable for a key and different between keys', () => {
    const key = randomBytes(32);
    expect(keyIdFor(key)).toMatch(/^[0-9a-f]{8}$/);
    expect(keyIdFor(key)).toBe(keyIdFor(Buffer.from(key)));
    expect(keyIdFor(oldKey)).not.toBe(keyIdFor(newKey));
  });

  it('is the start of the SHA-256 of the key (a known vector)', () => {
    // SHA-256 of 32 zero bytes is 66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925.
    expect(keyIdFor(Buffer.alloc(32))).toBe('66687aad');
  });

  it('works as a SecretBox key id', () => {
    const id = keyIdFor(newKey);
    const b = box(id, { [id]: newKey });
    expect(b.open(b.seal('x'))).toBe('x');
  });
});
