import type { FactorEntity } from '../../persistence/factor.entity';
import type { DeliveryJob } from '../../transports/delivery-outbox';
import { CodeSendingFactor } from '../code-sending.factor';
import { maskEmail } from '../hints';
import type { EnrolInput } from '../second-factor';

/** Codes by email to the login address; the policies allow it only as a backup. */
export class EmailFactor extends CodeSendingFactor {
  readonly type = 'email' as const;

  protected destinationFor(input: EnrolInput): string {
    return input.email;
  }

  protected message(factor: FactorEntity, text: string, purpose: string): DeliveryJob {
    return {
      channel: 'email',
      message: { to: factor.destination!, subject: `Your ${this.options.issuer} sign-in code`, text },
      meta: { factorId: factor.id, purpose },
    };
  }

  hint(factor: FactorEntity): string {
    return maskEmail(factor.destination ?? '');
  }
}
