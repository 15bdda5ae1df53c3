import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock } from '../../clock/clock';
import { SecretBox, SecretBoxError } from '../../crypto/secret-box';
import { TwoFactorError } from '../../errors/two-factor.errors';
import { FactorEntity } from '../../persistence/factor.entity';
import { returnedRows } from '../../persistence/sql';
import { TwoFactorOptions } from '../../two-factor.options';
import { type EnrolInput, type FactorAnswer, FactorKind, type Prepared, type SecondFactor, type VerifyOutcome } from '../second-factor';
import { TotpAlgorithm } from './totp.algorithm';

/** Spends a TOTP step once: $1 factor id, $2 step, $3 now. Also used inside the sign-in's single write. */
export const SPEND_STEP = `UPDATE mfa_factors SET last_used_step = $2, last_used_at = $3
  WHERE id = $1 AND (last_used_step IS NULL OR last_used_step < $2) RETURNING id`;

/** Authenticator apps (RFC 6238). The recommended primary: nothing travels over the phone network. */
@Injectable()
@FactorKind()
export class TotpFactor implements SecondFactor {
  readonly type = 'totp';
  readonly label = 'Authenticator app';
  readonly amr = 'otp';
  readonly sendsCodes = false;
  readonly mayBePrimary = true;
  readonly assurance = 'possession';

  constructor(
    private readonly options: TwoFactorOptions,
    private readonly algorithm: TotpAlgorithm,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  async enrol(factor: FactorEntity, input: EnrolInput): Promise<Prepared<Record<string, unknown>>> {
    const secret = this.algorithm.generateSecret();
    // Sealed with the factor id as associated data: a seed copied onto another row will not open.
    factor.secretSealed = this.secrets.seal(secret, factor.id);
    await this.txHost.tx.update(FactorEntity, { id: factor.id }, { secretSealed: factor.secretSealed });
    const otpauthUrl = this.algorithm.otpauthUrl({ issuer: this.options.issuer, accountName: input.email, secret });
    return { result: { secret, otpauthUrl, qrSvg: await this.algorithm.qrSvg(otpauthUrl) } };
  }

  async verify(factor: FactorEntity, answer: FactorAnswer, _challengeId: string | null): Promise<VerifyOutcome> {
    if (typeof answer.code !== 'string') return { result: 'invalid' };
    const step = await this.matchStep(factor, answer.code, { forVerify: true });
    if (step === null) return { result: 'invalid' };
    const now = this.clock.now();
    // One conditional UPDATE consumes the step: two instances checking the same code at once cannot both win.
    const consumed = returnedRows(await this.txHost.tx.query(SPEND_STEP, [factor.id, step, now]));
    if (!consumed.length) return { result: 'invalid' };
    factor.lastUsedStep = step;
    factor.lastUsedAt = now;
    await this.resealIfOld(factor);
    return { result: 'ok' };
  }

  /**
   * The step a code matches, later than the last one used, or null. Also null, outside verify(), for a
   * seed still under an older key: only verify() re-seals it, so the caller must take that path.
   */
  async matchStep(factor: FactorEntity, code: string, { forVerify = false } = {}): Promise<number | null> {
    const token = code.replace(/\s+/g, '');
    if (!factor.secretSealed || !/^\d{6}$/.test(token)) return null;
    if (!forVerify && this.secrets.needsReseal(factor.secretSealed)) return null;
    const secret = this.openSecret(factor);
    const check = await this.algorithm.verify({ secret, token, at: this.clock.now(), afterTimeStep: factor.lastUsedStep ?? undefined });
    return check.valid ? check.timeStep : null;
  }

  private openSecret(factor: FactorEntity): string {
    try {
      return this.secrets.open(factor.secretSealed!, factor.id);
    } catch (error) {
      // Never a 500: a seed under a retired key (or a damaged row) is a clear, stable error that names
      // no key; the operator finds the key id in the log and with `keys:status`.
      if (error instanceof SecretBoxError) throw new TwoFactorError('factor_key_unavailable', {}, error);
      throw error;
    }
  }

  // Re-seal on use: a seed still under an older FACTOR_ENCRYPTION_KEY moves to the current one, so the old
  // key can be retired (`keys:reseal` does the same for factors nobody uses). Conditional on the old value.
  private async resealIfOld(factor: FactorEntity): Promise<void> {
    if (!this.secrets.needsReseal(factor.secretSealed!)) return;
    const resealed = this.secrets.reseal(factor.secretSealed!, factor.id);
    await this.txHost.tx.query(`UPDATE mfa_factors SET secret_sealed = $2 WHERE id = $1 AND secret_sealed = $3`, [factor.id, resealed, factor.secretSealed]);
    factor.secretSealed = resealed;
  }

  hint(): string {
    return this.label;
  }
}
