import { RandomSource } from '../crypto/random-source';
import {
  formatRecoveryCode,
  generateRecoveryCode,
  generateRecoveryCodes,
  normaliseRecoveryCode,
} from './recovery-code.format';

/** Plays back fixed byte sequences, one per call. */
class ScriptedRandomSource extends RandomSource {
  calls = 0;
  constructor(private readonly script: Buffer[]) {
    super();
  }
  bytes(length: number): Buffer {
    const next = this.script[this.calls++ % this.script.length];
    expect(next).toHaveLength(length);
    return next;
  }
  int(): number {
    return 0;
  }
}

/** A different 10-byte value on every call. */
class CountingRandomSource extends RandomSource {
  private counter = 0;
  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    out.writeUInt32BE(++this.counter, length - 4);
    return out;
  }
  int(): number {
    return 0;
  }
}

const FORMAT = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

describe(generateRecoveryCode.name, () => {
  it.each([
    ['all zero bits', Buffer.alloc(10, 0x00), '0000-0000-0000-0000'],
    ['all one bits', Buffer.alloc(10, 0xff), 'ZZZZ-ZZZZ-ZZZZ-ZZZZ'],
    // 00000 00001 … 01111 and 10000 … 11111: each symbol of the alphabet once, in order.
    ['every symbol in order', Buffer.from('00443214c74254b635cf', 'hex'), '0123-4567-89AB-CDEF'],
    ['the second half of the alphabet', Buffer.from('84653a56d7c675be77df', 'hex'), 'GHJK-MNPQ-RSTV-WXYZ'],
  ])('encodes %s as Crockford base32, 5 bits a symbol', (_name, bytes, expected) => {
    expect(generateRecoveryCode(new ScriptedRandomSource([bytes]))).toBe(expected);
  });

  it('draws exactly 10 bytes (80 bits) from the random source', () => {
    const random = new ScriptedRandomSource([Buffer.alloc(10)]);
    generateRecoveryCode(random);
    expect(random.calls).toBe(1);
  });
});

describe(generateRecoveryCodes.name, () => {
  it('makes 10 distinct formatted codes by default', () => {
    const codes = generateRecoveryCodes(new CountingRandomSource());
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(FORMAT);
  });

  it('makes the number asked for', () => {
    expect(generateRecoveryCodes(new CountingRandomSource(), 3)).toHaveLength(3);
  });

  it('skips a repeated code', () => {
    const a = Buffer.alloc(10, 1);
    const b = Buffer.alloc(10, 2);
    const codes = generateRecoveryCodes(new ScriptedRandomSource([a, a, b]), 2);
    expect(codes).toEqual([generateRecoveryCode(new ScriptedRandomSource([a])), generateRecoveryCode(new ScriptedRandomSource([b]))]);
  });

  it('gives up instead of looping forever on a broken random source', () => {
    expect(() => generateRecoveryCodes(new ScriptedRandomSource([Buffer.alloc(10)]), 2)).toThrow(/repeating/);
  });
});

describe(normaliseRecoveryCode.name, () => {
  it.each([
    ['the formatted code', 'ABCD-EFGH-JKMN-PQRS', 'ABCDEFGHJKMNPQRS'],
    ['the canonical code', 'ABCDEFGHJKMNPQRS', 'ABCDEFGHJKMNPQRS'],
    ['lower case', 'abcd-efgh-jkmn-pqrs', 'ABCDEFGHJKMNPQRS'],
    ['spaces instead of hyphens', 'abcd efgh jkmn pqrs', 'ABCDEFGHJKMNPQRS'],
    ['surrounding and extra whitespace', '  ABCD--EFGH\tJKMN PQRS \n', 'ABCDEFGHJKMNPQRS'],
    ['O as zero', 'O0O0-0000-0000-0000', '0000000000000000'],
    ['I and L (either case) as one', 'IiLl-1111-1111-1111', '1111111111111111'],
  ])('accepts %s', (_name, input, expected) => {
    expect(normaliseRecoveryCode(input)).toBe(expected);
  });

  it.each([
    ['empty', ''],
    ['too short', 'ABCD-EFGH-JKMN-PQR'],
    ['too long', 'ABCD-EFGH-JKMN-PQRST'],
    ['a U (not in Crockford)', 'ABCD-EFGH-JKMN-PQRU'],
    ['punctuation', 'ABCD.EFGH.JKMN.PQRS'],
    ['a non-ASCII letter', 'ÄBCD-EFGH-JKMN-PQRS'],
    ['a 6-digit one-time code', '123456'],
  ])('refuses %s', (_name, input) => {
    expect(normaliseRecoveryCode(input)).toBeNull();
  });

  it('gives back every generated code unchanged, once hyphens are removed', () => {
    for (const code of generateRecoveryCodes(new CountingRandomSource(), 5)) {
      expect(normaliseRecoveryCode(code)).toBe(code.replace(/-/g, ''));
      expect(normaliseRecoveryCode(code.toLowerCase())).toBe(code.replace(/-/g, ''));
    }
  });
});

describe(formatRecoveryCode.name, () => {
  it('groups the canonical form in fours', () => {
    expect(formatRecoveryCode('ABCDEFGHJKMNPQRS')).toBe('ABCD-EFGH-JKMN-PQRS');
  });

  it('refuses anything that is not canonical', () => {
    expect(() => formatRecoveryCode('abcdefghjkmnpqrs')).toThrow(/canonical/);
    expect(() => formatRecoveryCode('ABCD-EFGH-JKMN-PQRS')).toThrow(/canonical/);
  });
});
