import { DiscoveryService } from '@nestjs/core';
import type { FactorEntity } from '../persistence/factor.entity';
import type { DeliveryJob } from '../transports/delivery-outbox';

/** How strongly a factor resists an attacker who can talk the subject into answering on a fake site. */
export type FactorAssurance = 'possession' | 'phishing_resistant';

/** What the rest of the library and the host app need to know about a kind of factor; nothing else lists types. */
export interface FactorDescriptor {
  /** Stored in mfa_factors.type: at most 16 characters, /^[a-z][a-z0-9_]*$/. */
  readonly type: string;
  /** For people: 'Authenticator app', 'Text message', 'Email', 'Passkey'. */
  readonly label: string;
  /** RFC 8176 value for the access token's `amr` claim. */
  readonly amr: string;
  /** A code is sent (resend, send limits, channel health). */
  readonly sendsCodes: boolean;
  /** False keeps the type out of the primary role in every realm, whatever a policy says. */
  readonly mayBePrimary: boolean;
  readonly assurance: FactorAssurance;
}

/** What a subject answers with: a code for code factors, a credential object (a passkey's assertion) for others. */
export interface FactorAnswer {
  code?: string;
  credential?: Record<string, unknown>;
}

export interface EnrolInput {
  /** The subject's login email: the destination of email codes, the label in authenticator apps. */
  email: string;
  /** For SMS: what the subject typed, E.164 or national. */
  phone?: string;
  /** A name the subject gives the factor (a passkey's device name). */
  label?: string;
}

/**
 * What checking an answer found. `attemptsRemaining` is the sent code's remaining tries, when it has a
 * limit; `errorCode` is the error a wrong answer is reported as (default `invalid_code`).
 */
export type VerifyOutcome =
  | { result: 'ok' }
  | { result: 'invalid'; attemptsRemaining?: number; errorCode?: 'invalid_code' | 'invalid_credential' }
  | { result: 'expired' };

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
 * One kind of second factor. Each lives in its own folder (or its own package) as a provider marked
 * `@FactorKind()`; everything else (rules, challenges, locks, recovery) is shared.
 */
export interface SecondFactor extends FactorDescriptor {
  // No manager parameter: these run inside the caller's transaction, and a factor that writes injects
  // the TransactionHost and uses `txHost.tx`, which is that transaction's EntityManager.
  /** Fills a new pending factor (already saved, so it has an id) and answers what enrolment shows once. */
  enrol(factor: FactorEntity, input: EnrolInput): Promise<Prepared<Record<string, unknown>>>;
  /** Only when sendsCodes: issues a code for a sign-in (challengeId) or an enrolment (null). */
  send?(factor: FactorEntity, challengeId: string | null): Promise<Prepared<CodeSent>>;
  /**
   * For factors that answer a challenge with data instead of a sent code (a passkey's request options):
   * the extra fields of the challenge answer, e.g. `{ options }`. challengeId is the pending sign-in's id,
   * or null for a check of the active factor outside any sign-in (`startCheck`), as for `send`; the
   * answer then comes to `verify(…, null)` of the active factor.
   */
  challengeOptions?(factor: FactorEntity, challengeId: string | null): Promise<Record<string, unknown>>;
  /**
   * Checks an answer; on success the factor's lastUsedAt is recorded and the answer can never succeed again.
   * challengeId null: outside a sign-in, confirming a pending factor's enrolment or checking an active one.
   */
  verify(factor: FactorEntity, answer: FactorAnswer, challengeId: string | null): Promise<VerifyOutcome>;
  /**
   * For factors whose codes need no database to check (TOTP): the time step a code matches, later than
   * the last one used, or null. The caller then spends the step in its own conditional UPDATE.
   */
  matchStep?(factor: FactorEntity, code: string): Promise<number | null>;
  /** A masked description safe to show anyone who can see the account. */
  hint(factor: FactorEntity): string;
}

const factorKind = DiscoveryService.createDecorator<Record<string, never>>();

/** The metadata key FactorKind sets, for the registry's discovery. */
export const FACTOR_KIND_KEY = factorKind.KEY;

/**
 * Class decorator: marks an injectable as a factor kind. The FactorRegistry discovers every provider so
 * marked in the modules passed to `TwoFactorModule.forRoot*({ factors })`.
 */
export function FactorKind(): ClassDecorator {
  return factorKind() as ClassDecorator;
}
