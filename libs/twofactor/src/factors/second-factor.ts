import type { EntityManager } from 'typeorm';
import type { FactorEntity } from '../persistence/factor.entity';
import type { DeliveryJob } from '../transports/delivery-outbox';
import type { FactorType } from '../policy/factor-policy';

export interface EnrolInput {
  /** For SMS: what the subject typed, E.164 or national. */
  phone?: string;
  /** The subject's login email: the destination of email codes, the label in authenticator apps. */
  email: string;
}

/** What checking a code found. `attemptsRemaining` is the sent code's remaining tries, when it has a limit. */
export type VerifyOutcome = { result: 'ok' } | { result: 'invalid'; attemptsRemaining?: number } | { result: 'expired' };

/** What a challenge or enrolment tells the client: where a code went and when another may be asked for. */
export interface CodeSent {
  sentTo: string;
  expiresAt: Date;
  resendAvailableAt: Date;
}

/**
 * What a factor hands back instead of sending itself: the message, which the caller writes to the
 * outbox in its own transaction, so a rolled-back change never leaves a code in someone's inbox.
 */
export interface Prepared<T> {
  result: T;
  delivery?: DeliveryJob;
}

/**
 * One kind of second factor. Each lives in its own folder and is listed once in FACTOR_TYPES;
 * everything else (rules, challenges, locks, recovery) is shared.
 */
export interface SecondFactor {
  readonly type: FactorType;
  /** Whether verifying needs a code to be sent first. */
  readonly sendsCodes: boolean;
  /** Fills a new pending factor (already saved, so it has an id) and answers what enrolment shows once. */
  enrol(factor: FactorEntity, input: EnrolInput, manager: EntityManager): Promise<Prepared<Record<string, unknown>>>;
  /** Issues a code for a sign-in (challengeId) or an enrolment (null). Not called for factors that send nothing. */
  send(factor: FactorEntity, challengeId: string | null, manager: EntityManager): Promise<Prepared<CodeSent>>;
  /** Checks a code; on success the factor's lastUsedAt is recorded and the code can never succeed again. */
  verify(factor: FactorEntity, code: string, challengeId: string | null, manager: EntityManager): Promise<VerifyOutcome>;
  /**
   * For factors whose codes need no database to check (TOTP): the time step a code matches, later than
   * the last one used, or null. The caller then spends the step in its own conditional UPDATE.
   */
  matchStep?(factor: FactorEntity, code: string): Promise<number | null>;
  /** A masked description safe to show anyone who can see the account. */
  hint(factor: FactorEntity): string;
}
