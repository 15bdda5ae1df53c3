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
});
