import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Clock } from '../clock/clock';
import { CodeHasher } from '../crypto/code-hasher';
import { RandomSource } from '../crypto/random-source';
import { TwoFactorError } from '../errors/two-factor.errors';
import type { FactorEntity } from '../persistence/factor.entity';
import { OneTimeCodeEntity } from '../persistence/one-time-code.entity';
import { returnedRows } from '../persistence/sql';
import type { TwoFactorOptions } from '../two-factor.options';
import type { VerifyOutcome } from './second-factor';

export const CODE_DIGITS = 6;

/**
 * Codes sent by SMS or email: 6 CSPRNG digits, stored as keyed hashes, one per factor and sign-in
 * at a time (a resend closes the previous one), a few wrong tries each, a cooldown and an hourly cap.
 */
export class OneTimeCodes {
  constructor(
    private readonly options: TwoFactorOptions,
    private readonly hasher: CodeHasher,
    private readonly random: RandomSource,
    private readonly clock: Clock,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  /** Creates a new code, closing the previous one; the caller delivers the returned plaintext. */
  async issue(factor: FactorEntity, challengeId: string | null, manager: EntityManager): Promise<{ code: string; expiresAt: Date; resendAvailableAt: Date }> {
    const now = this.clock.now();
    await this.assertMaySend(factor, challengeId, now, manager);
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
    return { code, expiresAt, resendAvailableAt: new Date(now.getTime() + this.options.otpResendSeconds * 1000) };
  }

  async verify(factor: FactorEntity, challengeId: string | null, code: string, manager: EntityManager): Promise<VerifyOutcome> {
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

  private async assertMaySend(factor: FactorEntity, challengeId: string | null, now: Date, manager: EntityManager): Promise<void> {
    const hourAgo = new Date(now.getTime() - 3600_000);
    const [stats] = returnedRows<{ last_for_login: Date | null; sent_in_hour: string; oldest_in_hour: Date | null }>(
      await manager.query(
        `SELECT max(created_at) FILTER (WHERE challenge_id IS NOT DISTINCT FROM $2) AS last_for_login,
                count(*) FILTER (WHERE created_at > $3) AS sent_in_hour,
                min(created_at) FILTER (WHERE created_at > $3) AS oldest_in_hour
         FROM mfa_codes WHERE factor_id = $1`,
        [factor.id, challengeId, hourAgo],
      ),
    );
    const cooldownEnds = stats.last_for_login ? new Date(stats.last_for_login).getTime() + this.options.otpResendSeconds * 1000 : 0;
    if (cooldownEnds > now.getTime()) {
      throw new TwoFactorError('resend_too_soon', { retryAfter: Math.ceil((cooldownEnds - now.getTime()) / 1000) });
    }
    // The hourly cap is per factor, across sign-ins: it bounds what an attacker can make us send to a phone.
    if (Number(stats.sent_in_hour) >= this.options.otpSendsPerHour && stats.oldest_in_hour) {
      const freesAt = new Date(stats.oldest_in_hour).getTime() + 3600_000;
      throw new TwoFactorError('resend_too_soon', { retryAfter: Math.max(Math.ceil((freesAt - now.getTime()) / 1000), 1) });
    }
  }
}
