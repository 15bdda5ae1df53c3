// What node-postgres and PostgreSQL say when the database is unreachable or going away (a restart, a
// failover): connection-level errnos, SQLSTATE classes 08 (connection exception) and 57P (operator
// intervention: admin_shutdown, crash_shutdown, cannot_connect_now), and pg's own connection messages.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH']);
const MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i, /not queryable/i];

/**
 * Whether an error means "the database is not there just now" rather than a bug: such a request
 * answers 503 (try again), and its transaction, if any, was rolled back by the server.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const { code, message, driverError } = current as { code?: unknown; message?: unknown; driverError?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('08') || code.startsWith('57P'))) return true;
    if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}
