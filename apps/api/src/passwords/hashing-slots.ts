/**
 * At most `size` tasks at once; the rest wait their turn, first come first served. Password hashes
 * go through it: each argon2id hash holds its 19 MiB for its whole run, and more hashes at once than
 * there are cores only makes each one slower while the memory of all of them is held together.
 */
export class HashingSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error('HashingSlots needs at least one slot');
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((turn) => this.waiting.push(turn));
    else this.running++;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next in line (running stays the same), or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
