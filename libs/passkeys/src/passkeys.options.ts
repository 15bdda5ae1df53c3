/** The relying party this app is to WebAuthn, and how long a ceremony may take. */
export class PasskeysOptions {
  /** The RP id: a host name (no scheme or port) that every accepted origin is on or under. */
  rpId: string;
  /** Shown by the browser and authenticator next to the passkey. */
  rpName: string;
  /** The origins allowed to answer, e.g. `https://app.example.com`. */
  origins: string[];
  /** How long one registration or sign-in challenge may be answered (default 300). */
  challengeTtlSeconds?: number;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Checks the options once, at boot: a wrong RP id or origin would otherwise surface only as every
 * passkey failing with invalid_credential. Throws an Error naming what is wrong.
 */
export function validatePasskeysOptions(options: PasskeysOptions): Required<PasskeysOptions> {
  const problems: string[] = [];
  const rpId = String(options?.rpId ?? '');
  if (!HOST_NAME.test(rpId)) problems.push(`rpId "${rpId}" must be a lower-case host name without scheme or port`);
  if (typeof options?.rpName !== 'string' || !options.rpName.trim()) problems.push('rpName must be a non-empty string');
  const origins = Array.isArray(options?.origins) ? options.origins : [];
  if (!origins.length) problems.push('origins must list at least one origin');
  for (const origin of origins) {
    const parsed = parseOrigin(origin);
    if (!parsed) problems.push(`origin "${origin}" must be a scheme, host and optional port, like https://app.example.com`);
    // WebAuthn (§5.1.3/§5.1.4): the RP id must be the origin's host or a domain it sits under.
    else if (parsed.hostname !== rpId && !parsed.hostname.endsWith(`.${rpId}`)) problems.push(`origin "${origin}" is not on the RP id "${rpId}" or under it`);
    else if (parsed.protocol !== 'https:' && !LOOPBACK.has(parsed.hostname)) problems.push(`origin "${origin}" must use https (browsers allow http only on localhost)`);
  }
  const ttl = options?.challengeTtlSeconds ?? 300;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 3600) problems.push('challengeTtlSeconds must be a whole number of seconds from 1 to 3600');
  if (problems.length) throw new Error(`PasskeysModule options: ${problems.join('; ')}`);
  return { rpId, rpName: options.rpName, origins: [...origins], challengeTtlSeconds: ttl };
}

function parseOrigin(origin: unknown): URL | null {
  if (typeof origin !== 'string') return null;
  try {
    const url = new URL(origin);
    return url.origin === origin ? url : null;
  } catch {
    return null;
  }
}
