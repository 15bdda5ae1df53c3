import { Injectable } from '@nestjs/common';
import type { FactorEntity } from '../../persistence/factor.entity';
import type { DeliveryJob } from '../../transports/delivery-outbox';
import { CodeSendingFactor } from '../code-sending.factor';
import { EMAIL_FACTOR_TYPE } from './email-type';
import { maskEmail } from '../hints';
import { type EnrolInput, FactorKind } from '../second-factor';

/** Codes by email to the login address; the policies allow it only as a backup. */
@Injectable()
@FactorKind()
export class EmailFactor extends CodeSendingFactor {
  readonly type = EMAIL_FACTOR_TYPE;
  readonly label = 'Email';
  readonly amr = 'email';
  // Never a primary: a mailbox is usually reachable with the same password reset an attacker may
  // already control, so it is only acceptable as a fallback, whatever a realm's policy says.
  readonly mayBePrimary = false;

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
