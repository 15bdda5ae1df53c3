import { randomBytes } from 'node:crypto';
import { AlgorithmUnsupportedError, HashAlgorithm, NobleCryptoPlugin } from 'otplib';
import { NodeCryptoPlugin } from './node-crypto.plugin';

describe(NodeCryptoPlugin.name, () => {
  const plugin = new NodeCryptoPlugin();
  const reference = new NobleCryptoPlugin();
  const key = randomBytes(20);
  const counter = Buffer.from('0000000003523ec5', 'hex');

  it.each(['sha1', 'sha256', 'sha512'] as HashAlgorithm[])('computes the same %s HMAC as otplib\'s own plugin', (algorithm) => {
    expect(Buffer.from(plugin.hmac(algorithm, key, counter))).toEqual(Buffer.from(reference.hmac(algorithm, key, counter)));
  });

  it('reads the algorithm names otplib allows, and refuses any other rather than defaulting', () => {
    const sha1 = plugin.hmac('sha1', key, counter);
    for (const name of ['SHA1', 'SHA-1', 'Sha_1']) expect(plugin.hmac(name as HashAlgorithm, key, counter)).toEqual(sha1);
    for (const name of ['md5', 'sha384', 'sha-3', '']) expect(() => plugin.hmac(name as HashAlgorithm, key, counter)).toThrow(AlgorithmUnsupportedError);
  });

  it('compares codes of any length without throwing', () => {
    expect(plugin.constantTimeEqual('123456', '123456')).toBe(true);
    expect(plugin.constantTimeEqual('123456', '123457')).toBe(false);
    expect(plugin.constantTimeEqual('123456', '1234567')).toBe(false);
    expect(plugin.randomBytes(20)).toHaveLength(20);
  });
});
