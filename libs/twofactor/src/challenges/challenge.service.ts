import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { IsNull } from 'typeorm';
import { Clock } from '../clock/clock';
import { RandomSource } from '../crypto/random-source';
import { TwoFactorError } from '../errors/two-factor.errors';
import { TwoFactorEvent, TwoFactorEvents } from '../events/two-factor-events';
import { EMAIL_FACTOR_TYPE } from '../factors/email/email-type';
import { FactorRegistry } from '../factors/factor-registry';
import { byRoleThenAge, FactorSummary, summarise } from '../factors/factor-summary';
import type { CodeSent, FactorAnswer, VerifyOutcome } from '../factors/second-factor';
import type { Realm } from '../guards/principal';
import { ChallengeEntity, ChallengePurpose } from '../persistence/challenge.entity';
import { FactorEntity } from '../persistence/factor.entity';
import { lockSubject } from '../persistence/subject-mutex';
import { isUuid } from '../util/is-uuid';
import { oneStatement, returnedRows, SqlStatement } from '../persistence/sql';
import type { FactorType } from '../policy/factor-policy';
import { SetupRequirement, setupRequired } from '../policy/factor-rules';
import { RecoveryCodes } from '../recovery-codes/recovery-codes.service';
import { DeliveryOutbox } from '../transports/delivery-outbox';
import { TwoFactorOptions } from '../two-factor.options';
import { Lockout, secondsUntil } from './lockout';
import { queryPrepared } from '../persistence/prepared';
import { COMPLETE_WITH_RECOVERY_CODE, COMPLETE_WITH_TOTP_STEP, completeStatement, pendingSignIn, PendingRow, readPendingSignIn, spentNothing } from './one-write-sign-in';

export interface ClientContext {
  ip?: string | null;
  userAgent?: string | null;
}

export interface LoginChallenge {
  mfaToken: string;
  expiresAt: Date;
  factors: FactorSummary[];
  defaultFactorId: string | null;
  recoveryCodesRemaining: number;
  /** What the account lacks (say, a primary that support removed): to set up once signed in. */
  setupRequired: SetupRequirement[];
}

/** A factor's answer (a code, or a credential object such as a passkey's assertion), or a recovery code. */
export type ChallengeAnswer = ({ factorId: string } & FactorAnswer) | { recoveryCode: string };

/** What choosing a factor answers: where a code went, or the data the client needs to answer (a passkey's options). */
export type ChallengeStarted = { factorId: string; type: FactorType } & Partial<CodeSent> & Record<string, unknown>;

/**
 * Which challenge an answer may complete. A sign-in's mfaToken starts a session; a step-up's only
 * renews the proof of the login that asked for it, and is refused anywhere else (and vice versa); a
 * password reset's names the reset token its success spends, and takes no email factor.
 */
export type ChallengeScope =
  | { purpose: 'login' }
  | { purpose: 'step_up'; subjectId: string; sessionId: string }
  | { purpose: 'password_reset'; resetTokenId: string };

/** What an answer is checked against: a reset's token is read from its challenge, the caller need not know it. */
export type VerifyScope = Exclude<ChallengeScope, { purpose: 'password_reset' }> | { purpose: 'password_reset' };

/**
 * Factors a purpose may not use. A password reset starts from a link sent by email, so the inbox is
 * already proven: an email code would make the reset a single factor, so the second must be another.
 */
const UNUSABLE_FOR: Partial<Record<ChallengePurpose, readonly FactorType[]>> = { password_reset: [EMAIL_FACTOR_TYPE] };

/** Whether a factor of this type may answer a challenge for this purpose. */
export function usableFor(purpose: ChallengePurpose, type: FactorType): boolean {
  return !UNUSABLE_FOR[purpose]?.includes(type);
}

/** Runs inside the transaction that accepted the answer (the TransactionHost's `tx`): what it writes commits with it, what it throws undoes all. */
export type OnVerified = (signedIn: VerifiedSignIn) => Promise<void>;

/**
 * A caller's writes for a verified answer, handed over as statements instead of run: the one-write
 * path folds them into the statement that spends the answer (a sign-in then commits in one round trip,
 * with no transaction), the locked path runs them in its transaction. `statements` may read, never
 * write: what it would write is what it returns. What throws there undoes everything, as with OnVerified.
 */
export interface FoldedCompletion {
  statements(signedIn: VerifiedSignIn): Promise<SqlStatement[]>;
}

/** What happens with a verified answer, in the same commit: run in its transaction, or folded into its write. */
export type SignInCompletion = OnVerified | FoldedCompletion;

const SIGN_IN: ChallengeScope = { purpose: 'login' };

export interface VerifiedSignIn {
  realm: Realm;
  subjectId: string;
  authTime: Date;
  method: FactorType | 'recovery_code';
  recoveryCodesRemaining?: number;
  /** The subject's active factors when the answer was accepted (set by the one-write path), so callers need not read them again. */
  factors?: FactorEntity[];
  /** For a password reset: the token its success spends. */
  resetTokenId?: string;
}

export function hashMfaToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The sign-in after the password: an mfaToken names the pending sign-in; the subject picks any active
 * factor, asks for a code if it sends one, and answers with a code or a recovery code. Wrong answers
 * spend both this sign-in's tries and the account's failure budget; a locked account is refused
 * before its answer is looked at, so right and wrong answers look the same while locked.
 */
@Injectable()
export class ChallengeService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly options: TwoFactorOptions,
    private readonly registry: FactorRegistry,
    private readonly lockout: Lockout,
    private readonly recoveryCodes: RecoveryCodes,
    private readonly events: TwoFactorEvents,
    private readonly outbox: DeliveryOutbox,
    private readonly random: RandomSource,
    private readonly clock: Clock,
  ) {}

  /** Starts the second step for a subject whose password was just proven. Throws mfa_locked while locked. */
  async begin(realm: Realm, subjectId: string, client: ClientContext, scope: ChallengeScope = SIGN_IN): Promise<LoginChallenge> {
    const manager = this.txHost.tx;
    await this.assertNotLocked(realm, subjectId);
    const now = this.clock.now();
    const mfaToken = `mfa_${this.random.bytes(32).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + this.options.mfaTokenTtlSeconds * 1000);
    await manager.insert(ChallengeEntity, {
      realm, subjectId, tokenHash: hashMfaToken(mfaToken), createdAt: now, expiresAt, failedAttempts: 0, authTime: now,
      purpose: scope.purpose, sessionId: scope.purpose === 'step_up' ? scope.sessionId : null,
      resetTokenId: scope.purpose === 'password_reset' ? scope.resetTokenId : null,
      ip: client.ip?.slice(0, 64) ?? null, userAgent: client.userAgent?.slice(0, 512) ?? null,
    });
    const factors = (await manager.findBy(FactorEntity, { realm, subjectId, status: 'active' }))
      .filter((factor) => usableFor(scope.purpose, factor.type))
      .sort(byRoleThenAge);
    const { remaining } = await this.recoveryCodes.status(realm, subjectId);
    return {
      mfaToken,
      expiresAt,
      factors: factors.map((factor) => summarise(factor, this.registry)),
      defaultFactorId: factors.find((factor) => factor.role === 'primary')?.id ?? factors[0]?.id ?? null,
      recoveryCodesRemaining: remaining,
      setupRequired: setupRequired(this.options.policies[realm], factors),
    };
  }

  /**
   * Ends every open challenge of a subject (an account disabled mid sign-in). Takes the subject's lock,
   * so a verify already under way finishes first and the caller's later steps (ending logins) see its session.
   */
  async cancelOpen(realm: Realm, subjectId: string): Promise<void> {
    await lockSubject(this.txHost, realm, subjectId);
    await this.txHost.tx.query(
      `UPDATE mfa_challenges SET expires_at = $3 WHERE realm = $1 AND subject_id = $2 AND completed_at IS NULL AND expires_at > $3`,
      [realm, subjectId, this.clock.now()],
    );
  }

  /**
   * Sends a code by the chosen factor, or hands over what the client needs to answer it (a passkey's
   * request options), or (TOTP) just confirms the choice.
   */
  async challenge(realm: Realm, mfaToken: string, factorId: string): Promise<ChallengeStarted> {
    return this.txHost.withTransaction(async () => {
      const challenge = await this.lockedChallenge(realm, mfaToken);
      await this.assertNotLocked(challenge.realm, challenge.subjectId);
      const factor = await this.activeFactor(challenge, factorId);
      const kind = this.registry.get(factor.type);
      if (kind.challengeOptions) {
        // Spread first: the factor's fields can never replace which factor and type the client chose.
        return { ...(await kind.challengeOptions(factor, challenge.id)), factorId: factor.id, type: factor.type };
      }
      if (!kind.sendsCodes) return { factorId: factor.id, type: factor.type };
      const sent = await kind.send!(factor, challenge.id);
      // An outbox row of this transaction: sent once the code is committed, never if it rolls back.
      if (sent.delivery) await this.outbox.add(sent.delivery);
      return { factorId: factor.id, type: factor.type, ...sent.result };
    });
  }

  /**
   * `completion` commits with the answer (e.g. starting the session), so one mfaToken gives one session
   * and a failure after the answer leaves nothing half-done.
   */
  async verify(
    realm: Realm, mfaToken: string, answer: ChallengeAnswer, client: ClientContext, scope: VerifyScope = SIGN_IN, completion?: SignInCompletion,
  ): Promise<VerifiedSignIn> {
    // Only sign-ins take the one-write path; step-ups and password resets are rare and keep every check
    // (the reset's token, its refusal of email factors) in the locked path. Inside a caller's transaction
    // the one write's deliberate failure would abort that transaction: the locked path then too.
    const oneWrite = scope.purpose === 'login' && !this.txHost.isTransactionActive();
    const fast = oneWrite ? await this.verifyInOneWrite(realm, mfaToken, answer, client, scope, completion) : null;
    return fast ?? this.verifyLocked(realm, mfaToken, answer, client, scope, completion);
  }

  /**
   * A right TOTP code or recovery code: one read, then one conditional write that also records the
   * success and, given a FoldedCompletion, does the caller's writes; no lock is held while the code is
   * checked (one-write-sign-in.ts). Null sends the answer down the locked path: wrong codes, codes sent
   * by SMS or email, lost races.
   */
  private async verifyInOneWrite(
    realm: Realm, mfaToken: string, answer: ChallengeAnswer, client: ClientContext, scope: VerifyScope, completion?: SignInCompletion,
  ): Promise<VerifiedSignIn | null> {
    if (typeof mfaToken !== 'string' || mfaToken.length > 200) throw new TwoFactorError('mfa_token_invalid');
    const byRecoveryCode = 'recoveryCode' in answer;
    // A recovery code's use is told to the subject: its address is read now, with the pending sign-in.
    const noticeAddressSql = byRecoveryCode ? this.events.noticeAddressSql?.(realm, 'c.subject_id') : undefined;
    const prepared = this.options.preparedStatements ?? false;
    const read = { sql: readPendingSignIn(noticeAddressSql), params: [hashMfaToken(mfaToken), realm, byRecoveryCode] };
    const [row] = await queryPrepared<PendingRow>(this.txHost.tx, read, prepared);
    if (!row) throw new TwoFactorError('mfa_token_invalid');
    const pending = pendingSignIn(row);
    const now = this.clock.now();
    // The same refusals, in the same order, as the locked path: none of them spends anything.
    if (pending.expiresAt <= now || pending.failedAttempts >= this.options.mfaTokenMaxFailures) throw new TwoFactorError('mfa_token_invalid');
    if (!fitsScope(pending, scope)) throw new TwoFactorError('mfa_token_invalid');
    const retryAfter = secondsUntil(pending.lockedUntil, now);
    if (retryAfter > 0) {
      const chosen = byRecoveryCode ? null : (pending.factors.find((candidate) => candidate.id === answer.factorId) ?? null);
      throw await this.refuseLocked(pending.realm, pending.subjectId, answer, chosen, client, retryAfter);
    }

    let spend: { sql: string; target: string | string[]; step: number | null };
    let factor: FactorEntity | null = null;
    if (byRecoveryCode) {
      const codeHashes = this.recoveryCodes.hashesOf(realm, pending.subjectId, answer.recoveryCode);
      if (!codeHashes) return null;
      spend = { sql: COMPLETE_WITH_RECOVERY_CODE, target: codeHashes, step: null };
    } else {
      factor = isUuid(answer.factorId) ? (pending.factors.find((candidate) => candidate.id === answer.factorId) ?? null) : null;
      if (!factor) throw new TwoFactorError('factor_not_found');
      // Only a code can take this path; any other answer (a credential) is checked under the lock.
      if (typeof answer.code !== 'string') return null;
      const step = await this.registry.get(factor.type).matchStep?.(factor, answer.code);
      if (step === undefined || step === null) return null;
      spend = { sql: COMPLETE_WITH_TOTP_STEP, target: factor.id, step };
    }

    const method: VerifiedSignIn['method'] = factor?.type ?? 'recovery_code';
    const signedIn: VerifiedSignIn = { realm, subjectId: pending.subjectId, authTime: pending.authTime, method, factors: pending.factors };
    if (pending.recoveryRemaining !== null) signedIn.recoveryCodesRemaining = Math.max(0, pending.recoveryRemaining - 1);
    const events = this.successEvents(signedIn, factor, client);
    // The audit rows and a notice's outbox row join the conditional write when the adapter can give
    // them as statements: no round trip of their own, and undone with a write that spent nothing.
    const recorded = this.events.statementsFor?.(events, pending.noticeAddress) ?? null;
    const callers = typeof completion === 'object' ? await completion.statements(signedIn) : null;
    const params = [realm, pending.subjectId, pending.id, now, this.options.mfaTokenMaxFailures, spend.target];
    const write = completeStatement(spend.sql, spend.step === null ? params : [...params, spend.step], [...(recorded ?? []), ...(callers ?? [])]);
    try {
      if (recorded && typeof completion !== 'function') {
        // Everything a success writes is in the one statement: it commits or fails on its own.
        await queryPrepared(this.txHost.tx, write, prepared);
      } else {
        await this.txHost.withTransaction(async () => {
          await this.txHost.tx.query(write.sql, write.params);
          if (!recorded) await this.events.recordAll(events);
          if (typeof completion === 'function') await completion(signedIn);
        });
      }
    } catch (error) {
      // Rolled back (the statement, or the transaction it failed in): the locked path decides and counts.
      if (spentNothing(error)) return null;
      throw error;
    }
    if (recorded) this.events.committed?.(events);
    return signedIn;
  }

  /** Runs what a verified answer completes, in the locked path's transaction. */
  private async complete(completion: SignInCompletion | undefined, signedIn: VerifiedSignIn): Promise<void> {
    if (typeof completion === 'function') return completion(signedIn);
    const statements = (await completion?.statements(signedIn)) ?? [];
    if (!statements.length) return;
    const { sql, params } = oneStatement(statements);
    await this.txHost.tx.query(sql, params);
  }

  private successEvents(signedIn: VerifiedSignIn, factor: FactorEntity | null, client: ClientContext): TwoFactorEvent[] {
    const { realm, subjectId, method } = signedIn;
    const events: TwoFactorEvent[] = [{ type: 'mfa.succeeded', realm, subjectId, data: { method, factorId: factor?.id ?? null }, ip: client.ip }];
    if (method === 'recovery_code') {
      events.push({ type: 'recovery_code.used', realm, subjectId, data: { remaining: signedIn.recoveryCodesRemaining }, ip: client.ip });
    }
    return events;
  }

  /**
   * Ends every unfinished challenge of a subject, in the caller's transaction: after a password
   * change, an mfaToken won with the old password must not still open a session.
   */
  async endPending(realm: Realm, subjectId: string): Promise<void> {
    const now = this.clock.now();
    await this.txHost.tx.query(
      `UPDATE mfa_challenges SET expires_at = $3 WHERE realm = $1 AND subject_id = $2 AND completed_at IS NULL AND expires_at > $3`,
      [realm, subjectId, now],
    );
  }

  /** What an mfaToken was issued for (null when it names no live challenge), so a caller can refuse a misplaced one before any answer is spent. */
  async purposeOf(realm: Realm, mfaToken: string): Promise<ChallengePurpose | null> {
    try {
      return (await this.liveChallenge(realm, mfaToken)).purpose;
    } catch (error) {
      if (error instanceof TwoFactorError) return null;
      throw error;
    }
  }

  /** Every answer the one-write path does not settle: under the subject's lock, failures counted. */
  private async verifyLocked(
    realm: Realm, mfaToken: string, answer: ChallengeAnswer, client: ClientContext, scope: VerifyScope, completion?: SignInCompletion,
  ): Promise<VerifiedSignIn> {
    const outcome = await this.txHost.withTransaction(async () => {
      const manager = this.txHost.tx;
      const challenge = await this.lockedChallenge(realm, mfaToken);
      // Checked before any answer is looked at: a token used in the wrong place spends nothing.
      if (!fitsScope(challenge, scope)) throw new TwoFactorError('mfa_token_invalid');
      const { subjectId } = challenge;
      const retryAfter = await this.lockout.retryAfter(realm, subjectId);
      if (retryAfter > 0) {
        // Returned, not thrown: the transaction commits the refusal's audit event.
        const chosen = 'recoveryCode' in answer || !isUuid(answer.factorId) ? null : await manager.findOneBy(FactorEntity, { id: answer.factorId, realm, subjectId });
        return { error: await this.refuseLocked(realm, subjectId, answer, chosen, client, retryAfter) };
      }

      let checked: VerifyOutcome;
      let method: VerifiedSignIn['method'];
      let factor: FactorEntity | null = null;
      if ('recoveryCode' in answer) {
        method = 'recovery_code';
        checked = (await this.recoveryCodes.consume(realm, subjectId, answer.recoveryCode)) ? { result: 'ok' } : { result: 'invalid' };
      } else {
        factor = await this.activeFactor(challenge, answer.factorId);
        method = factor.type;
        const { factorId: _factorId, ...factorAnswer } = answer;
        checked = await this.registry.get(factor.type).verify(factor, factorAnswer, challenge.id);
      }

      if (checked.result === 'expired') return { error: new TwoFactorError('code_expired') };
      if (checked.result === 'invalid') return { error: await this.fail(challenge, checked, factor, client) };

      // Completing the challenge is conditional too: one mfaToken yields at most one session.
      const completed = returnedRows(
        await manager.query(
          `UPDATE mfa_challenges SET completed_at = $2 WHERE id = $1 AND completed_at IS NULL AND expires_at > $2 RETURNING id`,
          [challenge.id, this.clock.now()],
        ),
      );
      // Thrown, not returned: the rollback gives back the recovery code or TOTP step just spent.
      if (!completed.length) throw new TwoFactorError('mfa_token_invalid');
      await this.lockout.clear(realm, subjectId);
      const signedIn: VerifiedSignIn = { realm, subjectId, authTime: challenge.authTime, method, ...(challenge.resetTokenId ? { resetTokenId: challenge.resetTokenId } : {}) };
      if (method === 'recovery_code') signedIn.recoveryCodesRemaining = (await this.recoveryCodes.status(realm, subjectId)).remaining;
      await this.events.recordAll(this.successEvents(signedIn, factor, client));
      await this.complete(completion, signedIn);
      return { signedIn };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.signedIn;
  }

  /**
   * An answer given while the account is locked is refused before it is looked at, so right and wrong
   * answers look alike; it spends nothing, but the attempt is audited (with its method and client IP),
   * so those reading the trail see someone still trying during the lock.
   */
  private async refuseLocked(
    realm: Realm, subjectId: string, answer: ChallengeAnswer, factor: FactorEntity | null, client: ClientContext, retryAfter: number,
  ): Promise<TwoFactorError> {
    const method = 'recoveryCode' in answer ? 'recovery_code' : (factor?.type ?? null);
    await this.events.record({ type: 'mfa.refused', realm, subjectId, data: { reason: 'locked', method, factorId: factor?.id ?? null }, ip: client.ip });
    return new TwoFactorError('mfa_locked', { retryAfter });
  }

  /** Counts a wrong answer against this sign-in and the account; answers with the error to show. */
  private async fail(
    challenge: ChallengeEntity, checked: Extract<VerifyOutcome, { result: 'invalid' }>, factor: FactorEntity | null, client: ClientContext,
  ): Promise<TwoFactorError> {
    const { realm, subjectId } = challenge;
    const [row] = returnedRows<{ failed_attempts: number }>(
      await this.txHost.tx.query(`UPDATE mfa_challenges SET failed_attempts = failed_attempts + 1 WHERE id = $1 RETURNING failed_attempts`, [challenge.id]),
    );
    const account = await this.lockout.recordFailure(realm, subjectId);
    await this.events.record({ type: 'mfa.failed', realm, subjectId, data: { factorId: factor?.id ?? null, method: factor?.type ?? 'recovery_code' }, ip: client.ip });
    if (account.lockedUntil) {
      const retryAfter = Math.ceil((account.lockedUntil.getTime() - this.clock.now().getTime()) / 1000);
      await this.events.record({ type: 'mfa.locked', realm, subjectId, data: { lockedUntil: account.lockedUntil.toISOString(), retryAfter }, ip: client.ip });
      return new TwoFactorError('mfa_locked', { retryAfter });
    }
    const tokenRemaining = this.options.mfaTokenMaxFailures - row.failed_attempts;
    const attemptsRemaining = Math.max(0, Math.min(tokenRemaining, account.remaining, checked.attemptsRemaining ?? Infinity));
    // A factor may name its own error (a passkey's invalid_credential); it counts exactly like a wrong code.
    return new TwoFactorError(checked.errorCode ?? 'invalid_code', { attemptsRemaining });
  }

  /**
   * The pending sign-in an mfaToken names, read again once its subject is locked: every check below
   * (token budget, account lock, code tries, send caps) then sees the counts of every earlier request.
   */
  private async lockedChallenge(realm: Realm, mfaToken: string): Promise<ChallengeEntity> {
    const found = await this.liveChallenge(realm, mfaToken);
    await lockSubject(this.txHost, found.realm, found.subjectId);
    return this.liveChallenge(realm, mfaToken);
  }

  /** The pending sign-in an mfaToken names, in the realm whose route it was sent to. */
  private async liveChallenge(realm: Realm, mfaToken: string): Promise<ChallengeEntity> {
    const challenge = typeof mfaToken === 'string' && mfaToken.length <= 200
      ? await this.txHost.tx.findOneBy(ChallengeEntity, { tokenHash: hashMfaToken(mfaToken), realm, completedAt: IsNull() })
      : null;
    if (!challenge || challenge.expiresAt <= this.clock.now() || challenge.failedAttempts >= this.options.mfaTokenMaxFailures) {
      throw new TwoFactorError('mfa_token_invalid');
    }
    return challenge;
  }

  private async activeFactor(challenge: ChallengeEntity, factorId: string): Promise<FactorEntity> {
    const factor = isUuid(factorId)
      ? await this.txHost.tx.findOneBy(FactorEntity, { id: factorId, realm: challenge.realm, subjectId: challenge.subjectId, status: 'active' })
      : null;
    if (!factor || !usableFor(challenge.purpose, factor.type)) throw new TwoFactorError('factor_not_found');
    return factor;
  }

  private async assertNotLocked(realm: Realm, subjectId: string): Promise<void> {
    const retryAfter = await this.lockout.retryAfter(realm, subjectId);
    if (retryAfter > 0) throw new TwoFactorError('mfa_locked', { retryAfter });
  }
}

function fitsScope(challenge: Pick<ChallengeEntity, 'purpose' | 'subjectId' | 'sessionId'>, scope: VerifyScope): boolean {
  if (challenge.purpose !== scope.purpose) return false;
  if (scope.purpose !== 'step_up') return true;
  return challenge.subjectId === scope.subjectId && challenge.sessionId === scope.sessionId;
}

