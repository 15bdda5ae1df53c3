import { randomInt } from 'node:crypto';

// Bitcoin's base58: no 0/O or I/l, so a password read aloud or copied by hand survives.
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A one-time setup password: 20 base58 characters from the CSPRNG (~117 bits). */
export function generateSetupPassword(length = 20): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE58[randomInt(BASE58.length)];
  return out;
}
