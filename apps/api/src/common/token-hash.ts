import { createHash } from 'node:crypto';

/** Refresh and device tokens are stored only as this hash: a copy of the table opens no session. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
