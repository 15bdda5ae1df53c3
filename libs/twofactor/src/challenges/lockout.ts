import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock } from '../clock/clock';
import type { Realm } from '../guards/principal';
import { returnedRows } from '../persistence/sql';
import type { TwoFactorOptions } from '../two-factor.options';

export interface FailureOutcome {
  /** Failures left before the account locks (0 when this failure locked it). */
  remaining: number;
  /** Set when this very failure locked the account. */
  lockedUntil: Date | null;
}

/**
 * One failure budget per account, across every factor and every sign-in: a new mfaToken never buys
 * more guesses. Each lock lasts twice the one before, up to lockMaxSeconds; a success clears it.
 */
export class Lockout {
  constructor(
    private readonly options: TwoFactorOptions,
    private readonly clock: Clock,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  /** Seconds until second-factor sign-in reopens, or 0. */
  async retryAfter(realm: Realm, subjectId: string): Promise<number> {
    const [row] = returnedRows<{ locked_until: Date | null }>(
      await this.txHost.tx.query(`SELECT locked_until FROM mfa_subject_locks WHERE realm = $1 AND subject_id = $2`, [realm, subjectId]),
    );
    return secondsUntil(row?.locked_until ? new Date(row.locked_until) : null, this.clock.now());
  }

  /** Counts a failure atomically; the statement itself decides whether this one locks the account. */
  async recordFailure(realm: Realm, subjectId: string): Promise<FailureOutcome> {
    const { lockThreshold, lockSeconds, lockMaxSeconds } = this.options;
    const now = this.clock.now();
    const [row] = returnedRows<{ failed_count: number; locked_now: boolean; locked_until: Date | null }>(
      await this.txHost.tx.query(
        `INSERT INTO mfa_subject_locks AS l (realm, subject_id, failed_count, lock_count, locked_until)
         VALUES ($1, $2, CASE WHEN $3::int <= 1 THEN 0 ELSE 1 END, CASE WHEN $3::int <= 1 THEN 1 ELSE 0 END,
                 CASE WHEN $3::int <= 1 THEN $4::timestamptz + make_interval(secs => LEAST($5::float8, $6::float8)) END)
         ON CONFLICT (realm, subject_id) DO UPDATE SET
           failed_count = CASE WHEN l.failed_count + 1 >= $3::int THEN 0 ELSE l.failed_count + 1 END,
           lock_count = CASE WHEN l.failed_count + 1 >= $3::int THEN l.lock_count + 1 ELSE l.lock_count END,
           locked_until = CASE WHEN l.failed_count + 1 >= $3::int
                               THEN $4::timestamptz + make_interval(secs => LEAST($5::float8 * power(2, l.lock_count), $6::float8))
                               ELSE l.locked_until END
         RETURNING failed_count, locked_until, (failed_count = 0 AND locked_until > $4::timestamptz) AS locked_now`,
        [realm, subjectId, lockThreshold, now, lockSeconds, lockMaxSeconds],
      ),
    );
    if (row.locked_now) return { remaining: 0, lockedUntil: new Date(row.locked_until!) };
    return { remaining: lockThreshold - row.failed_count, lockedUntil: null };
  }

  /** Failures left before a lock, for the attemptsRemaining a client shows. */
  async remaining(realm: Realm, subjectId: string): Promise<number> {
    const [row] = returnedRows<{ failed_count: number }>(
      await this.txHost.tx.query(`SELECT failed_count FROM mfa_subject_locks WHERE realm = $1 AND subject_id = $2`, [realm, subjectId]),
    );
    return this.options.lockThreshold - (row?.failed_count ?? 0);
  }

  /** A success or a support unlock: the budget starts again, and so does the doubling. */
  async clear(realm: Realm, subjectId: string): Promise<void> {
    await this.txHost.tx.query(
      `UPDATE mfa_subject_locks SET failed_count = 0, lock_count = 0, locked_until = NULL
       WHERE realm = $1 AND subject_id = $2 AND (failed_count <> 0 OR lock_count <> 0 OR locked_until IS NOT NULL)`,
      [realm, subjectId],
    );
  }
}

export function secondsUntil(until: Date | null, now: Date): number {
  return until && until > now ? Math.ceil((until.getTime() - now.getTime()) / 1000) : 0;
}
