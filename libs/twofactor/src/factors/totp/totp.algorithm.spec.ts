import { execFileSync, spawnSync } from 'node:child_process';
import { ScureBase32Plugin } from 'otplib';
import { CryptoRandomSource, RandomSource } from '../../crypto/random-source';
import { TotpAlgorithm, TotpHashAlgorithm } from './totp.algorithm';

class FixedBytesRandomSource extends RandomSource {
  constructor(private readonly value: Buffer) {
    super();
  }
  bytes(length: number): Buffer {
    return this.value.subarray(0, length);
  }
  int(): number {
    return 0;
  }
}

const base32 = new ScureBase32Plugin();
const random = new CryptoRandomSource();
// Found as CI finds it (`command -v oathtool`), not at a fixed path: CI installs it and fails on a skipped test.
const OATHTOOL = spawnSync('sh', ['-c', 'command -v oathtool'], { encoding: 'utf8' }).stdout.trim();

// RFC 6238 Appendix B: each algorithm has its own ASCII seed, sized to its hash.
const RFC_SEEDS: Record<TotpHashAlgorithm, string> = {
  sha1: '12345678901234567890',
  sha256: '12345678901234567890123456789012',
  sha512: '1234567890123456789012345678901234567890123456789012345678901234',
};
const RFC_VECTORS: Array<[number, Record<TotpHashAlgorithm, string>]> = [
  [59, { sha1: '94287082', sha256: '46119246', sha512: '90693936' }],
  [1111111109, { sha1: '07081804', sha256: '68084774', sha512: '25091201' }],
  [1111111111, { sha1: '14050471', sha256: '67062674', sha512: '99943326' }],
  [1234567890, { sha1: '89005924', sha256: '91819424', sha512: '93441116' }],
  [2000000000, { sha1: '69279037', sha256: '90698825', sha512: '38618901' }],
  [20000000000, { sha1: '65353130', sha256: '77737706', sha512: '47863826' }],
];
const RFC_CASES = RFC_VECTORS.flatMap(([seconds, codes]) =>
  (Object.keys(codes) as TotpHashAlgorithm[]).map((algorithm) => [algorithm, seconds, codes[algorithm]] as const),
);

describe(TotpAlgorithm.name, () => {
  const totp = new TotpAlgorithm(random);
  const secret = totp.generateSecret();
  const stepSeconds = 30;
  // 2026-03-14T15:09:00Z, the start of a step.
  const stepStart = new Date(Date.UTC(2026, 2, 14, 15, 9, 0));
  const step = totp.timeStepAt(stepStart);
  const codeAtStep = (offset: number) => totp.generate(secret, new Date(stepStart.getTime() + offset * stepSeconds * 1000));

  describe('RFC 6238 Appendix B vectors', () => {
    it.each(RFC_CASES)('%s at %i s is %s', async (algorithm, seconds, expected) => {
      const rfc = new TotpAlgorithm(random, { algorithm, digits: 8 });
      const secretB32 = base32.encode(Buffer.from(RFC_SEEDS[algorithm], 'ascii'));
      const at = new Date(seconds * 1000);
      await expect(rfc.generate(secretB32, at)).resolves.toBe(expected);
      await expect(rfc.verify({ secret: secretB32, token: expected, at })).resolves.toEqual({
        valid: true,
        timeStep: Math.floor(seconds / 30),
      });
    });

    it('does not accept a SHA-1 code when configured for SHA-256', async () => {
      const sha256 = new TotpAlgorithm(random, { algorithm: 'sha256', digits: 8 });
      const secretB32 = base32.encode(Buffer.from(RFC_SEEDS.sha1, 'ascii'));
      await expect(sha256.verify({ secret: secretB32, token: '94287082', at: new Date(59_000) })).resolves.toEqual({ valid: false });
    });
  });

  describe('generateSecret', () => {
    it('encodes 20 bytes (160 bits) from the injected random source as unpadded base32', () => {
      const bytes = Buffer.from(RFC_SEEDS.sha1, 'ascii');
      const generated = new TotpAlgorithm(new FixedBytesRandomSource(bytes)).generateSecret();
      expect(generated).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    });

    it('gives a different 32-character secret each time with a real random source', () => {
      const a = totp.generateSecret();
      expect(a).toMatch(/^[A-Z2-7]{32}$/);
      expect(totp.generateSecret()).not.toBe(a);
    });
  });

  describe('verify', () => {
    it('accepts the current step and returns it', async () => {
      await expect(totp.verify({ secret, token: await codeAtStep(0), at: stepStart })).resolves.toEqual({ valid: true, timeStep: step });
    });

    it.each([
      ['the start', 0],
      ['the end', 29_999],
    ])('accepts one step either side, measured from %s of the current step', async (_name, intoStepMs) => {
      const at = new Date(stepStart.getTime() + intoStepMs);
      await expect(totp.verify({ secret, token: await codeAtStep(-1), at })).resolves.toEqual({ valid: true, timeStep: step - 1 });
      await expect(totp.verify({ secret, token: await codeAtStep(1), at })).resolves.toEqual({ valid: true, timeStep: step + 1 });
    });

    it.each([
      ['the start', 0],
      ['the end', 29_999],
    ])('refuses two steps either side, measured from %s of the current step', async (_name, intoStepMs) => {
      const at = new Date(stepStart.getTime() + intoStepMs);
      await expect(totp.verify({ secret, token: await codeAtStep(-2), at })).resolves.toEqual({ valid: false });
      await expect(totp.verify({ secret, token: await codeAtStep(2), at })).resolves.toEqual({ valid: false });
    });

    it('honours a wider window when configured', async () => {
      const wide = new TotpAlgorithm(random, { window: 2 });
      await expect(wide.verify({ secret, token: await codeAtStep(-2), at: stepStart })).resolves.toEqual({ valid: true, timeStep: step - 2 });
    });

    it('refuses a replay: a step at or before afterTimeStep', async () => {
      const token = await codeAtStep(0);
      const first = await totp.verify({ secret, token, at: stepStart });
      expect(first).toEqual({ valid: true, timeStep: step });
      await expect(totp.verify({ secret, token, at: stepStart, afterTimeStep: step })).resolves.toEqual({ valid: false });
      // A later step is still accepted after one was used…
      await expect(totp.verify({ secret, token: await codeAtStep(1), at: stepStart, afterTimeStep: step })).resolves.toEqual({
        valid: true,
        timeStep: step + 1,
      });
      // …and an earlier one, still inside the window, is not.
      await expect(totp.verify({ secret, token: await codeAtStep(-1), at: stepStart, afterTimeStep: step })).resolves.toEqual({ valid: false });
    });

    it('accepts the step right after afterTimeStep', async () => {
      await expect(totp.verify({ secret, token: await codeAtStep(0), at: stepStart, afterTimeStep: step - 1 })).resolves.toEqual({
        valid: true,
        timeStep: step,
      });
    });

    it('refuses a wrong code', async () => {
      const right = await codeAtStep(0);
      const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
      await expect(totp.verify({ secret, token: wrong, at: stepStart })).resolves.toEqual({ valid: false });
    });

    it('refuses a code made with another secret', async () => {
      const token = await codeAtStep(0);
      await expect(totp.verify({ secret: totp.generateSecret(), token, at: stepStart })).resolves.toEqual({ valid: false });
    });

    it.each(['', '12345', '1234567', 'abcdef', '12345a', '１２３４５６'])('treats the malformed token %p as wrong instead of throwing', async (token) => {
      await expect(totp.verify({ secret, token, at: stepStart })).resolves.toEqual({ valid: false });
    });

    it('ignores spaces typed inside the code', async () => {
      const token = await codeAtStep(0);
      await expect(totp.verify({ secret, token: ` ${token.slice(0, 3)} ${token.slice(3)} `, at: stepStart })).resolves.toEqual({
        valid: true,
        timeStep: step,
      });
    });
  });

  describe('otpauthUrl', () => {
    it('has the issuer as label prefix and parameter, and the RFC defaults spelt out', () => {
      expect(totp.otpauthUrl({ issuer: 'Twofold', accountName: 'jo@example.com', secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' })).toBe(
        'otpauth://totp/Twofold:jo%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Twofold&algorithm=SHA1&digits=6&period=30',
      );
    });

    it('URL-encodes issuer and account, including colons that would split the label', () => {
      const url = new URL(totp.otpauthUrl({ issuer: 'Twofold Health: Staff', accountName: 'a b:c&d=e', secret }));
      expect(url.pathname).toBe('/Twofold%20Health%3A%20Staff:a%20b%3Ac%26d%3De');
      expect(url.searchParams.get('issuer')).toBe('Twofold Health: Staff');
      expect(url.searchParams.get('secret')).toBe(secret);
    });

    it('states the configured algorithm and digits', () => {
      const url = new TotpAlgorithm(random, { algorithm: 'sha256', digits: 8 }).otpauthUrl({ issuer: 'T', accountName: 'a', secret });
      expect(url).toContain('algorithm=SHA256&digits=8&period=30');
    });
  });

  describe('qrSvg', () => {
    it('renders the URL as an SVG QR code', async () => {
      const svg = await totp.qrSvg(totp.otpauthUrl({ issuer: 'Twofold', accountName: 'jo@example.com', secret }));
      expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svg).toContain('<path');
      expect(svg).not.toContain(secret); // the secret is only in the modules, not in readable text
    });
  });

  describe('interoperability', () => {
    const runOrSkip = OATHTOOL ? it : it.skip;

    runOrSkip('agrees with oathtool (skipped when oathtool is not on the PATH: apt-get install oathtool)', async () => {
      const at = new Date('2026-03-14T15:09:26Z');
      const expected = execFileSync(OATHTOOL, ['--totp', '-b', secret, '--now', '2026-03-14 15:09:26 UTC'], { encoding: 'utf8' }).trim();
      expect(expected).toMatch(/^\d{6}$/);
      await expect(totp.generate(secret, at)).resolves.toBe(expected);
      await expect(totp.verify({ secret, token: expected, at })).resolves.toEqual({ valid: true, timeStep: totp.timeStepAt(at) });
    });
  });
});
