import type { Realm } from '../guards/principal';
import type { SqlStatement } from '../persistence/sql';

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
  /** An answer refused unexamined while the account is locked: audited, not counted as a failure. */
  | 'mfa.refused'
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
 * transaction that made the change (the TransactionHost's `tx`), so the audit record commits or rolls back with it.
 */
export abstract class TwoFactorEvents {
  abstract record(event: TwoFactorEvent): Promise<void>;

  /** The events of one change, in order; an adapter may write them in a single statement. */
  async recordAll(events: TwoFactorEvent[]): Promise<void> {
    for (const event of events) await this.record(event);
  }

  // The sign-in's one write (challenges/one-write-sign-in.ts) folds a success's events into its own
  // statement when the adapter offers the three optional members below; otherwise it calls recordAll.

  /**
   * A scalar subquery giving the address a subject's notices go to, given the SQL expression of the
   * subject's id: the sign-in reads it along with the pending sign-in, so a notice needs no read of its own.
   */
  noticeAddressSql?(realm: Realm, subjectIdSql: string): string;

  /**
   * The events as data-modifying statements (each one INSERT or UPDATE, no WITH of its own) that the
   * caller runs inside its own statement and transaction; null when they need more than that (the
   * caller then uses recordAll). `noticeAddress` is what noticeAddressSql read, undefined if not read.
   */
  statementsFor?(events: TwoFactorEvent[], noticeAddress: string | null | undefined): SqlStatement[] | null;

  /** Called once the statements from statementsFor have committed (counters, say). */
  committed?(events: TwoFactorEvent[]): void;
}

/** The port that tells the library a subject's login email (email codes, authenticator labels). */
export abstract class SubjectDirectory {
  abstract emailOf(realm: Realm, subjectId: string): Promise<string | null>;
}
