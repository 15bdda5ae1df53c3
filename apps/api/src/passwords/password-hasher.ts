import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { Injectable } from '@nestjs/common';
import { HashingSlots } from './hashing-slots';

// argon2id with the OWASP-recommended parameters (19 MiB, 2 passes, 1 lane); ~30-80 ms here.
// The enum is `const` in the package's typings, which isolated transpilers cannot inline: 2 is Argon2id.
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

@Injectable()
export class PasswordHasher {
  // One hash per core: a login burst then holds 19 MiB per core rather than per libuv thread (four by
  // default, whatever the cores), at the same throughput, since each hash keeps a core busy anyway.
  private readonly slots = new HashingSlots(availableParallelism());

  /** A real hash of a random password: verifying against it costs what a real account costs. */
  private readonly decoy = this.slots.run(() => hash('decoy password for unknown accounts', OPTIONS));

  hash(password: string): Promise<string> {
    return this.slots.run(() => hash(password, OPTIONS));
  }

  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    // An unknown email still pays for one full hash, so timing does not reveal which emails exist.
    const target = passwordHash ?? (await this.decoy);
    const ok = await this.slots.run(() => verify(target, password)).catch(() => false);
    return ok && passwordHash !== null;
  }
}
