import { createHmac } from 'node:crypto';
import { CodeHasher } from './code-hasher';

describe(CodeHasher.name, () => {
  const key = Buffer.alloc(32, 9);
  const hasher = new CodeHasher(key);

  it('gives a stable 64-character hex HMAC-SHA256', () => {
    const hash = hasher.hash('123456', 'factor-1');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hasher.hash('123456', 'factor-1')).toBe(hash);
  });

  it('hashes a length-prefixed encoding of salt then value', () => {
    const expected = createHmac('sha256', key)
      .update(Buffer.from([0, 0, 0, 2]))
      .update('ab')
      .update(Buffer.from([0, 0, 0, 3]))
      .update('123')
      .digest('hex');
    expect(hasher.hash('123', 'ab')).toBe(expected);
  });

  it('is unambiguous where salt ends and value begins', () => {
    expect(hasher.hash('c', 'ab')).not.toBe(hasher.hash('bc', 'a'));
    expect(hasher.hash('123456', 'f')).not.toBe(hasher.hash('23456', 'f1'));
  });

  it('depends on the salt and on the key', () => {
    expect(hasher.hash('123456', 'factor-1')).not.toBe(hasher.hash('123456', 'factor-2'));
    expect(new CodeHasher(Buffer.alloc(32, 8)).hash('123456', 'factor-1')).not.toBe(hasher.hash('123456', 'factor-1'));
  });

  it('matches the right value and salt only', () => {
    const stored = hasher.hash('123456', 'factor-1');
    expect(hasher.matches('123456', 'factor-1', stored)).toBe(true);
    expect(hasher.matches('123457', 'factor-1', stored)).toBe(false);
    expect(hasher.matches('123456', 'factor-2', stored)).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['truncated', 'abc'],
    ['too long', `${'0'.repeat(64)}00`],
  ])('treats a %s expected hash as a mismatch instead of throwing', (_name, expected) => {
    expect(hasher.matches('123456', 'factor-1', expected)).toBe(false);
  });

  it('refuses a key shorter than 32 bytes', () => {
    expect(() => new CodeHasher(Buffer.alloc(16))).toThrow(/at least 32 bytes/);
  });

  describe('key rotation', () => {
    const oldKey = Buffer.alloc(32, 1);
    const newKey = Buffer.alloc(32, 2);
    const before = new CodeHasher(oldKey);
    const after = new CodeHasher({ currentKeyId: 'new', keys: { new: newKey, old: oldKey } });

    it('names its current key by the key id of the key itself when given one key', () => {
      expect(before.currentKeyId).toMatch(/^[0-9a-f]{8}$/);
      expect(after.currentKeyId).toBe('new');
    });

    it('hashes with the current key but still matches hashes made under an older one', () => {
      const old = before.hash('123456', 'factor-1');
      expect(after.hash('123456', 'factor-1')).not.toBe(old);
      expect(after.matches('123456', 'factor-1', old)).toBe(true);
      expect(after.matches('123457', 'factor-1', old)).toBe(false);
    });

    it('lists the hash under every key, current first, for lookups by equality', () => {
      expect(after.hashes('123456', 'f')).toEqual([after.hash('123456', 'f'), before.hash('123456', 'f')]);
    });

    it('stops matching once the old key is retired', () => {
      const retired = new CodeHasher({ currentKeyId: 'new', keys: { new: newKey } });
      expect(retired.matches('123456', 'factor-1', before.hash('123456', 'factor-1'))).toBe(false);
    });

    it('refuses a current key id missing from the keyring', () => {
      expect(() => new CodeHasher({ currentKeyId: 'x', keys: { new: newKey } })).toThrow(/not in the keyring/);
    });
  });
});
