import type { EntityManager } from 'typeorm';
import { Clock } from '../../clock/clock';
import { SecretBox } from '../../crypto/secret-box';
import { FactorEntity } from '../../persistence/factor.entity';
import { returnedRows } from '../../persistence/sql';
import type { TwoFactorOptions } from '../../two-factor.options';
import type { CodeSent, EnrolInput, Prepared, SecondFactor, VerifyOutcome } from '../second-factor';
import { TotpAlgorithm } from './totp.algorithm';

/** Authenticator apps (RFC 6238). The recommended primary: nothing travels over the phone network. */
export class TotpFactor implements SecondFactor {
  readonly type = 'totp' as const;
  readonly sendsCodes = false;

  constructor(
    private readonly options: TwoFactorOptions,
    private readonly algorithm: TotpAlgorithm,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  async enrol(factor: FactorEntity, input: EnrolInput, manager: EntityManager): Promise<Prepared<Record<string, unknown>>> {
    const secret = this.algorithm.generateSecret();
    // Sealed with the factor id as associated data: a seed copied onto another row will not open.
    factor.secretSealed = this.secrets.seal(secret, factor.id);
    await manager.update(FactorEntity, { id: factor.id }, { secretSealed: factor.secretSealed });
    const otpauthUrl = this.algorithm.otpauthUrl({ issuer: this.options.issuer, accountName: input.email, secret });
    return { result: { secret, otpauthUrl, qrSvg: await this.algorithm.qrSvg(otpauthUrl) } };
  }

  send(): Promise<Prepared<CodeSent>> {
    throw new Error('TOTP factors send nothing');
  }

  async verify(factor: FactorEntity, code: string, _challengeId: string | null, manager: EntityManager): Promise<VerifyOutcome> {
    if (!factor.secretSealed || !/^\d{6}$/.test(code.replace(/\s+/g, ''))) return { result: 'invalid' };
    const secret = this.secrets.open(factor.secretSealed, factor.id);
    const now = this.clock.now();
    const check = await this.algorithm.verify({ secret, token: code.replace(/\s+/g, ''), at: now, afterTimeStep: factor.lastUsedStep ?? undefined });
    if (!check.valid) return { result: 'invalid' };
    // One conditional UPDATE consumes the step: two instances checking the same code at once cannot both win.
    const consumed = returnedRows(
      await manager.query(
        `UPDATE mfa_factors SET last_used_step = $2, last_used_at = $3
         WHERE id = $1 AND (last_used_step IS NULL OR last_used_step < $2) RETURNING id`,
        [factor.id, check.timeStep, now],
      ),
    );
    if (!consumed.length) return { result: 'invalid' };
    factor.lastUsedStep = check.timeStep;
    factor.lastUsedAt = now;
    return { result: 'ok' };
  }

  hint(): string {
    return 'Authenticator app';
  }
}
