import { TWO_FACTOR_ENTITIES } from '@app/twofactor';
import { Customer } from '../accounts/customer.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { RefreshToken } from '../auth/refresh-token.entity';
import { Session } from '../auth/session.entity';
import { MessageDelivery } from '../notifications/message-delivery.entity';
import { SupportReset } from '../resets/support-reset.entity';
import { Staff } from '../staff/staff.entity';
import { TrustedDevice } from '../devices/trusted-device.entity';
import { PasswordResetToken } from '../password-reset/password-reset-token.entity';

/** Listed as classes, not globs, so one list works under ts-node, compiled JS and Jest. */
export const ENTITIES = [Customer, Session, RefreshToken, AuditEvent, MessageDelivery, Staff, SupportReset, PasswordResetToken, TrustedDevice, ...TWO_FACTOR_ENTITIES];
