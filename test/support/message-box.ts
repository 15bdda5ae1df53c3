/** Exactly one 6-digit number in the text (the contract for SMS and email codes), else undefined. */
export function extractOneTimeCode(text: string): string | undefined {
  const matches = text.match(/(?<!\d)\d{6}(?!\d)/g) ?? [];
  return matches.length === 1 ? matches[0] : undefined;
}

interface Waiter<T> {
  predicate: (message: T) => boolean;
  resolve: (message: T) => void;
}

/**
 * The messages a local stand-in server received, with waiting helpers shared by the SMTP and
 * Twilio stand-ins. `codeFor` hands out each code once, so a resend is never confused with the
 * code it replaced.
 */
export class MessageBox<T extends object> {
  private readonly received: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();
  private readonly codesHandedOut = new WeakSet<object>();

  constructor(
    private readonly recipientsOf: (message: T) => string[],
    private readonly textOf: (message: T) => string,
    private readonly describe: string,
  ) {}

  /** Oldest first, as received. */
  get all(): readonly T[] {
    return this.received;
  }

  add(message: T): void {
    this.received.push(message);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(message)) {
        this.waiters.delete(waiter);
        waiter.resolve(message);
      }
    }
  }

  clear(): void {
    this.received.length = 0;
  }

  /** The first message (already received or still to come) that matches. */
  waitFor(predicate: (message: T) => boolean, timeoutMs = 5000): Promise<T> {
    const existing = this.received.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`No matching ${this.describe} within ${timeoutMs} ms (received ${this.received.length}).`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /**
   * The code in the newest message to `to` that holds one and whose code was not handed out yet;
   * waits for it if needed. Messages without a code (notices) are skipped.
   */
  async codeFor(to: string, timeoutMs = 5000): Promise<string> {
    const address = to.toLowerCase();
    const isFreshCodeFor = (message: T) =>
      !this.codesHandedOut.has(message) &&
      this.recipientsOf(message).some((recipient) => recipient.toLowerCase() === address) &&
      extractOneTimeCode(this.textOf(message)) !== undefined;
    await this.waitFor(isFreshCodeFor, timeoutMs);
    const candidates = this.received.filter(isFreshCodeFor);
    for (const message of candidates) this.codesHandedOut.add(message);
    return extractOneTimeCode(this.textOf(candidates[candidates.length - 1])) as string;
  }
}
