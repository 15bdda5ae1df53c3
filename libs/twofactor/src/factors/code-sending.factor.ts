import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { DeliveryJob } from '../transports/delivery-outbox';
import { FactorEntity } from '../persistence/factor.entity';
import type { FactorType } from '../policy/factor-policy';
import { TwoFactorOptions } from '../two-factor.options';
import { OneTimeCodes } from './one-time-codes';
import type { CodeSent, EnrolInput, FactorAnswer, FactorAssurance, Prepared, SecondFactor, VerifyOutcome } from './second-factor';

/** What SMS and email factors share: a destination, a code, and the message that carries it. */
// Injectable here so the subclasses inherit the constructor's parameter types for Nest's injection.
@Injectable()
export abstract class CodeSendingFactor implements SecondFactor {
  abstract readonly type: FactorType;
  abstract readonly label: string;
  abstract readonly amr: string;
  abstract readonly mayBePrimary: boolean;
  readonly sendsCodes = true;
  // A code read off a screen can be typed into a fake site as easily as into the real one.
  readonly assurance: FactorAssurance = 'possession';

  constructor(
    protected readonly options: TwoFactorOptions,
    protected readonly codes: OneTimeCodes,
    protected readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  /** Where codes go for this subject, normalised; throws a TwoFactorError for bad input. */
  protected abstract destinationFor(input: EnrolInput): string;
  protected abstract message(factor: FactorEntity, text: string, purpose: 'sign-in' | 'enrolment'): DeliveryJob;
  abstract hint(factor: FactorEntity): string;

  async enrol(factor: FactorEntity, input: EnrolInput): Promise<Prepared<Record<string, unknown>>> {
    factor.destination = this.destinationFor(input);
    await this.txHost.tx.update(FactorEntity, { id: factor.id }, { destination: factor.destination });
    const { result, delivery } = await this.send(factor, null);
    return { result: { ...result }, delivery };
  }

  async send(factor: FactorEntity, challengeId: string | null): Promise<Prepared<CodeSent>> {
    const { code, expiresAt, resendAvailableAt } = await this.codes.issue(factor, challengeId);
    const minutes = Math.round(this.options.otpTtlSeconds / 60);
    // The code is the only 6-digit number in the text, so phones can offer to fill it in.
    const text = `Your ${this.options.issuer} code is ${code}. It expires in ${minutes} minutes. Never share it: we will never ask you for it.`;
    return {
      result: { sentTo: this.hint(factor), expiresAt, resendAvailableAt },
      delivery: {
        ...this.message(factor, text, challengeId ? 'sign-in' : 'enrolment'),
        kind: 'code',
        subject: { realm: factor.realm, subjectId: factor.subjectId },
        hint: this.hint(factor),
        expiresAt,
      },
    };
  }

  async verify(factor: FactorEntity, answer: FactorAnswer, challengeId: string | null): Promise<VerifyOutcome> {
    if (typeof answer.code !== 'string') return { result: 'invalid' };
    const outcome = await this.codes.verify(factor, challengeId, answer.code.replace(/\s+/g, ''));
    if (outcome.result === 'ok') {
      factor.lastUsedAt = this.codes.now();
      // A code that came back proves the channel works, whatever the delivery reports said.
      factor.healthStatus = 'ok';
      factor.deliveryFailuresInRow = 0;
      await this.txHost.tx.update(FactorEntity, { id: factor.id }, { lastUsedAt: factor.lastUsedAt, healthStatus: 'ok', deliveryFailuresInRow: 0 });
    }
    return outcome;
  }
}
