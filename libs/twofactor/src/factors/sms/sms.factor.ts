import { Injectable } from '@nestjs/common';
import { parsePhoneNumberFromString, CountryCode } from 'libphonenumber-js/max';
import { TwoFactorError } from '../../errors/two-factor.errors';
import type { FactorEntity } from '../../persistence/factor.entity';
import type { DeliveryJob } from '../../transports/delivery-outbox';
import { CodeSendingFactor } from '../code-sending.factor';
import { maskPhone } from '../hints';
import { type EnrolInput, FactorKind } from '../second-factor';

/** Codes by text message, through the SMS transport (Twilio in production). */
@Injectable()
@FactorKind()
export class SmsFactor extends CodeSendingFactor {
  readonly type = 'sms';
  readonly label = 'Text message';
  readonly amr = 'sms';
  readonly mayBePrimary = true;

  protected destinationFor(input: EnrolInput): string {
    return normalisePhone(input.phone ?? '', this.options.phoneDefaultRegion);
  }

  protected message(factor: FactorEntity, text: string, purpose: string): DeliveryJob {
    return { channel: 'sms', message: { to: factor.destination!, body: text }, meta: { factorId: factor.id, purpose } };
  }

  hint(factor: FactorEntity): string {
    const parsed = parsePhoneNumberFromString(factor.destination ?? '');
    return parsed ? maskPhone(parsed.number, parsed.countryCallingCode) : 'Text message';
  }
}

/** E.164, accepting national numbers in the default region; only numbers that can receive texts. */
export function normalisePhone(input: string, defaultRegion: string): string {
  const parsed = parsePhoneNumberFromString(input.trim(), { defaultCountry: defaultRegion as CountryCode });
  const type = parsed?.getType();
  const textable = type === undefined || type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' || type === 'PERSONAL_NUMBER';
  if (!parsed || !parsed.isValid() || !textable) throw new TwoFactorError('invalid_phone');
  return parsed.number;
}
