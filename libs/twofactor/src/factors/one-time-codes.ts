import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { randomUUID } from 'node:crypto';
import { Clock } from '../clock/clock';
import { CodeHasher } from '../crypto/code-hasher';
import { RandomSource } from '../crypto/random-source';
import { TwoFactorError } from '../errors/two-factor.errors';
import type { FactorEntity } from '../persistence/factor.entity';
import { OneTimeCodeEntity } from '../persistence/one-time-code.entity';
import { SendLogEntity } from '../persistence/send-log.entity';
import { returnedRows } from '../persistence/sql';
import type { TwoFactorOptions } from '../two-factor.options';
import type { VerifyOutcome } from './second-factor';

export const CODE_DIGITS = 6;

/**
 * Codes sent by SMS or email: 6 CSPRNG digits, stored as keyed hashes, one per factor and sign-in
 * at a time (a resend closes the previous one), a few wrong tries each, a cooldown and hourly caps.
 */
export class OneTimeCodes {
  constructor(
    private readonly options: TwoFactorOptions,
    private readonly hasher: CodeHasher,
    private readonly random: RandomSource,
    private readonly clock: Clock,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  /** Creates a new code, closing the previous one; the caller delivers the returned plaintext. */
  async issue(factor: FactorEntity, challengeId: string | null): Promise<{ code: string; expiresAt: Date; resendAvailableAt: Date }> {
    const manager = this.txHost.tx;
    const now = this.clock.now();
    // Under every hash key, so a CODE_HASH_KEY rotation does not reset the per-destination cap.
    const [destinationHash, ...olderDestinationHashes] = this.hasher.hashes((factor.destination ?? '').toLowerCase(), 'destination');
    // The per-destination cap spans accounts, so the subject's lock is not enough: lock the destination
    // too (always after the subject's, so the order never inverts).
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`mfa-dest:${destinationHash}`]);
    await this.assertMaySend(factor, challengeId, [destinationHash, ...olderDestinationHashes], now);
    await manager.query(
      `UPDATE mfa_codes SET closed_at = $3 WHERE factor_id = $1 AND challenge_id IS NOT DISTINCT FROM $2 AND closed_at IS NULL`,
      [factor.id, challengeId, now],
    );
    const id = randomUUID();
    const code = this.random.digits(CODE_DIGITS);
    const expiresAt = new Date(now.getTime() + this.options.otpTtlSeconds * 1000);
    await manager.insert(OneTimeCodeEntity, {
      id, factorId: factor.id, challengeId, codeHash: this.hasher.hash(code, id), createdAt: now, expiresAt, attempts: 0,
    });
    await manager.insert(SendLogEntity, { realm: factor.realm, subjectId: factor.subjectId, factorId: factor.id, challengeId, destinationHash, createdAt: now });
    return { code, expiresAt, resendAvailableAt: new Date(now.getTime() + this.options.otpResendSeconds * 1000) };
  }

  async verify(factor: FactorEntity, challengeId: string | null, code: string): Promise<VerifyOutcome> {
    const manager = this.txHost.tx;
    const now = this.clock.now();
    const open = await manager
      .createQueryBuilder(OneTimeCodeEntity, 'c')
      .where('c.factor_id = :factorId AND c.closed_at IS NULL', { factorId: factor.id })
      .andWhere(challengeId ? 'c.challenge_id = :challengeId' : 'c.challenge_id IS NULL', { challengeId })
      .orderBy('c.created_at', 'DESC')
      .getOne();
    if (!open || open.expiresAt <= now) return { result: 'expired' };

    if (this.hasher.matches(code, open.id, open.codeHash)) {
      // Conditional: of two concurrent right answers only one closes the code.
      const used = returnedRows(await manager.query(`UPDATE mfa_codes SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL RETURNING id`, [open.id, now]));
      return used.length ? { result: 'ok' } : { result: 'expired' };
    }
    const [row] = returnedRows<{ attempts: number }>(
      await manager.query(
        `UPDATE mfa_codes SET attempts = attempts + 1, closed_at = CASE WHEN attempts + 1 >= $2 THEN $3::timestamptz ELSE closed_at END
         WHERE id = $1 RETURNING attempts`,
        [open.id, this.options.otpMaxAttempts, now],
      ),
    );
    return { result: 'invalid', attemptsRemaining: Math.max(this.options.otpMaxAttempts - (row?.attempts ?? this.options.otpMaxAttempts), 0) };
  }

  private async assertMaySend(factor: FactorEntity, challengeId: string | null, destinationHashes: string[], now: Date): Promise<void> {
    const hourAgo = new Date(now.getTime() - 3600_000);
    const [stats] = returnedRows<SendStats>(
      await this.txHost.tx.query(
        `SELECT max(created_at) FILTER (WHERE factor_id = $1 AND challenge_id IS NOT DISTINCT FROM $2) AS last_for_login,
                count(*) FILTER (WHERE factor_id = $1 AND created_at > $6) AS factor_count,
                min(created_at) FILTER (WHERE factor_id = $1 AND created_at > $6) AS factor_oldest,
                count(*) FILTER (WHERE destination_hash = ANY($5::bpchar[]) AND created_at > $6) AS destination_count,
                min(created_at) FILTER (WHERE destination_hash = ANY($5::bpchar[]) AND created_at > $6) AS destination_oldest,
                count(*) FILTER (WHERE realm = $3 AND subject_id = $4 AND created_at > $6) AS subject_count,
                min(created_at) FILTER (WHERE realm = $3 AND subject_id = $4 AND created_at > $6) AS subject_oldest
         FROM mfa_send_log
         WHERE (realm = $3 AND subject_id = $4) OR destination_hash = ANY($5::bpchar[])`,
        [factor.id, challengeId, factor.realm, factor.subjectId, destinationHashes, hourAgo],
      ),
    );
    // The resend cooldown is per factor and sign-in (or enrolment).
    const lastSend = timeOf(stats.last_for_login);
    const cooldownEnds = lastSend + this.options.otpResendSeconds * 1000;
    if (lastSend && cooldownEnds > now.getTime()) throw retryAt(cooldownEnds, now);
    // Hourly caps bound what anyone can make us send: per factor (the contract's), per subject (so
    // re-enrolling cannot reset it), and per destination across accounts (SMS pumping to one number).
    const caps: [number, Date | null, number][] = [
      [Number(stats.factor_count), stats.factor_oldest, this.options.otpSendsPerHour],
      [Number(stats.destination_count), stats.destination_oldest, this.options.otpSendsPerDestinationPerHour],
      [Number(stats.subject_count), stats.subject_oldest, this.options.otpSendsPerSubjectPerHour],
    ];
    const reached = caps.filter(([count, oldest, limit]) => count >= limit && oldest);
    if (reached.length) throw retryAt(Math.max(...reached.map(([, oldest]) => timeOf(oldest) + 3600_000)), now);
  }
}

interface SendStats {
  last_for_login: Date | null;
  factor_count: string;
  factor_oldest: Date | null;
  destination_count: string;
  destination_oldest: Date | null;
  subject_count: string;
  subject_oldest: Date | null;
}

function timeOf(value: Date | string | null): number {
  return value ? new Date(value).getTime() : 0;
}

function retryAt(whenMs: number, now: Date): TwoFactorError {
  return new TwoFactorError('resend_too_soon', { retryAfter: Math.max(Math.ceil((whenMs - now.getTime()) / 1000), 1) });
}
