import type { EntityManager } from 'typeorm';
import type { Realm } from '../guards/principal';

export type TwoFactorEventType =
  | 'factor.enrolment_started'
  | 'factor.activated'
  | 'factor.removed'
  | 'factor.role_changed'
  | 'factor.checked'
  | 'recovery_codes.generated'
  | 'recovery_code.used'
  | 'mfa.succeeded'
  | 'mfa.failed'
  | 'mfa.locked'
  | 'mfa.unlocked'
  | 'mfa.reset';

/** Events the customer must be told about by email (never with a code or secret in it). */
export const NOTIFIED_EVENTS: ReadonlySet<TwoFactorEventType> = new Set([
  'factor.activated', 'factor.removed', 'factor.role_changed', 'recovery_codes.generated', 'recovery_code.used', 'mfa.locked', 'mfa.reset',
]);

export interface TwoFactorEvent {
  type: TwoFactorEventType;
  realm: Realm;
  subjectId: string;
  /** Non-secret facts: factor id and type, masked hint, counts. */
  data: Record<string, unknown>;
  /** Who acted, when not the subject (a support agent). */
  actor?: { type: 'customer' | 'staff' | 'system'; id: string | null; email?: string | null };
  reason?: string | null;
  ip?: string | null;
}

/**
 * The port the application fills in to audit events and notify subjects. Called inside the
 * transaction that made the change, so the audit record commits or rolls back with it.
 */
export abstract class TwoFactorEvents {
  abstract record(event: TwoFactorEvent, manager: EntityManager): Promise<void>;

  /** The events of one change, in order; an adapter may write them in a single statement. */
  async recordAll(events: TwoFactorEvent[], manager: EntityManager): Promise<void> {
    for (const event of events) await this.record(event, manager);
  }
}

/** The port that tells the library a subject's login email (email codes, authenticator labels). */
export abstract class SubjectDirectory {
  abstract emailOf(realm: Realm, subjectId: string): Promise<string | null>;
}
