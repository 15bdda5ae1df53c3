import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock, Realm, returnedRows } from '@app/twofactor';
import { commonError } from '../common/common.errors';
import { AuditService } from '../audit/audit.service';
import { AppKeys } from '../config/keys';

/** Wrong passwords in a row an email may have before each further one costs a wait. */
export const FREE_PASSWORD_FAILURES = 10;
/** NIST SP 800-63B-4 §3.2.2: no more than 100 consecutive failures on one account. */
export const MAX_PASSWORD_FAILURES = 100;
/** The longest wait between two guesses below that limit. */
const MAX_WAIT_SECONDS = 3600;
/** What a client at the limit is told to wait (the block itself lasts until the count is cleared). */
const AT_LIMIT_RETRY_SECONDS = 86_400;
/** A client that completed a sign-in for an account this recently is not throttled for it. */
export const KNOWN_CLIENT_DAYS = 30;

export interface PasswordClient {
  ip?: string | null;
  /** A live trusted-device token of this account was presented (remember this device). */
  trustedDevice?: boolean;
}

/**
 * Per-account limit on password guessing, on top of the per-IP rate limits (which many IPs defeat).
 * Counted per email — known or not, so the answers say nothing about which emails have accounts —
 * as consecutive failed tries: the first FREE_PASSWORD_FAILURES - 1 cost nothing; from then on each
 * makes the next try wait 1 s, 2 s, 4 s … up to an hour, and at MAX_PASSWORD_FAILURES strangers are
 * refused until the count is cleared. A stranger can slow a customer down but never lock them out: a
 * client that completed a sign-in for the account in the last KNOWN_CLIENT_DAYS (same IP), or holds a
 * trusted device token, is never made to wait (its tries still count); a right password clears the count.
 */
@Injectable()
export class PasswordThrottle {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly keys: AppKeys,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Takes one try from this email's budget before the password is checked, or throws 429
   * too_many_requests (with retryAfter) while strangers must wait. Counting first, in one conditional
   * statement, is what makes the limit hold for guesses sent all at once: once the wait starts, the
   * next try finds it however many were in flight. The try is given back (clear) when the password is right.
   */
  async takeTry(realm: Realm, email: string, subjectId: string | null, client: PasswordClient): Promise<void> {
    const now = this.clock.now();
    const emailHash = this.hash('email', email);
    // Asked for every attempt, known account or not, so both cost the same.
    const known = client.trustedDevice === true || (await this.isKnownClient(realm, subjectId, client.ip ?? null, now));
    const taken = returnedRows(
      await this.txHost.tx.query(
        `INSERT INTO password_failures AS f (realm, email_hash, failures, last_try_at, blocked_until)
         VALUES ($1, $2, 1, $3, CASE WHEN 1 >= $4::int THEN $3::timestamptz + interval '1 second' END)
         ON CONFLICT (realm, email_hash) DO UPDATE SET
           failures = f.failures + 1,
           last_try_at = $3,
           blocked_until = CASE WHEN f.failures + 1 >= $4::int
                                THEN $3::timestamptz + make_interval(secs => LEAST(power(2, f.failures + 1 - $4::int), $5::float8))
                                ELSE NULL END
         WHERE $6::boolean OR (f.failures < $7::int AND (f.blocked_until IS NULL OR f.blocked_until <= $3::timestamptz))
         RETURNING 1`,
        [realm, emailHash, now, FREE_PASSWORD_FAILURES, MAX_WAIT_SECONDS, known, MAX_PASSWORD_FAILURES],
      ),
    );
    if (taken.length) return;
    const [row] = returnedRows<{ failures: number; blocked_until: Date | null }>(
      await this.txHost.tx.query(`SELECT failures, blocked_until FROM password_failures WHERE realm = $1 AND email_hash = $2`, [realm, emailHash]),
    );
    const blockedUntil = row?.blocked_until ? new Date(row.blocked_until).getTime() : 0;
    const retryAfter = !row || row.failures >= MAX_PASSWORD_FAILURES ? AT_LIMIT_RETRY_SECONDS : Math.max(1, Math.ceil((blockedUntil - now.getTime()) / 1000));
    throw commonError('too_many_requests', { retryAfter });
  }

  /** A wrong password (or an unknown email): its try stays spent, and it goes on the record. */
  async recordFailure(realm: Realm, subjectId: string | null, ip: string | null | undefined): Promise<void> {
    await this.audit.record({ type: 'password.failed', actor: { type: realm, id: null }, subject: { type: realm, id: subjectId }, ip });
  }

  /** A right password: the run of failures is over. */
  async clear(realm: Realm, email: string): Promise<void> {
    await this.txHost.tx.query(`DELETE FROM password_failures WHERE realm = $1 AND email_hash = $2`, [realm, this.hash('email', email)]);
  }

  /** A sign-in completed (both factors) from this client: it is known to the account from now on. */
  async rememberClient(realm: Realm, subjectId: string, ip: string | null | undefined): Promise<void> {
    const statement = this.rememberClientStatement(realm, subjectId, ip);
    if (statement) await this.txHost.tx.query(statement.sql, statement.params);
  }

  /** The same, as a statement a caller can fold into one of its own (the sign-in's session statement). */
  rememberClientStatement(realm: Realm, subjectId: string, ip: string | null | undefined): { sql: string; params: unknown[] } | null {
    if (!ip) return null;
    return {
      sql: `INSERT INTO sign_in_clients (realm, subject_id, ip_hash, last_success_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (realm, subject_id, ip_hash) DO UPDATE SET last_success_at = EXCLUDED.last_success_at`,
      params: [realm, subjectId, this.hash('ip', ip), this.clock.now()],
    };
  }

  private async isKnownClient(realm: Realm, subjectId: string | null, ip: string | null, now: Date): Promise<boolean> {
    const since = new Date(now.getTime() - KNOWN_CLIENT_DAYS * 86_400_000);
    const rows = returnedRows(
      await this.txHost.tx.query(
        `SELECT 1 FROM sign_in_clients WHERE realm = $1 AND subject_id = $2 AND ip_hash = $3 AND last_success_at > $4`,
        [realm, subjectId ?? '00000000-0000-0000-0000-000000000000', this.hash('ip', ip ?? ''), since],
      ),
    );
    return rows.length > 0;
  }

  // Keyed: the table holds no email or IP address anyone could read back or look up by brute force.
  // Under the current code-hash key only: after a rotation, counts start afresh and known clients are
  // learnt again, which is short-lived state and safe to lose.
  private hash(kind: 'email' | 'ip', value: string): string {
    const { currentKeyId, keys } = this.keys.codeHash;
    return createHmac('sha256', keys[currentKeyId]).update(`password-throttle:${kind}:${value.trim().toLowerCase()}`).digest('hex');
  }
}
