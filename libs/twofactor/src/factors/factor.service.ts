import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock } from '../clock/clock';
import { TwoFactorError } from '../errors/two-factor.errors';
import { TwoFactorEvents } from '../events/two-factor-events';
import { isUuid } from '../util/is-uuid';
import { Lockout } from '../challenges/lockout';
import type { Realm } from '../guards/principal';
import { FactorEntity } from '../persistence/factor.entity';
import { lockSubject } from '../persistence/subject-mutex';
import { returnedRows } from '../persistence/sql';
import type { FactorPolicy, FactorRole, FactorType } from '../policy/factor-policy';
import { checkActivate, checkAdd, checkRemove, checkRoleChange, RuleViolation, SetupRequirement, setupRequired } from '../policy/factor-rules';
import { RecoveryCodes, RecoveryCodeStatus } from '../recovery-codes/recovery-codes.service';
import { DeliveryOutbox } from '../transports/delivery-outbox';
import { TwoFactorOptions } from '../two-factor.options';
import { FactorRegistry } from './factor-registry';
import type { FactorAnswer, VerifyOutcome } from './second-factor';
import { Attention, attentionFor } from './attention';
import { byRoleThenAge, FactorSummary, summarise } from './factor-summary';

type WrongAnswer = Extract<VerifyOutcome, { result: 'invalid' }>;

export interface Subject {
  realm: Realm;
  subjectId: string;
}

/** Who is making a change: the subject themself, or a member of staff acting for them. */
export interface ChangeActor {
  actor?: { type: 'customer' | 'staff' | 'system'; id: string | null; email?: string | null };
  reason?: string | null;
  ip?: string | null;
}

export interface FactorOverview {
  factors: FactorSummary[];
  recoveryCodes: RecoveryCodeStatus;
  policy: FactorPolicy;
  complete: boolean;
  setupRequired: SetupRequirement[];
  /** Active factors that may fail the subject when needed: a failing channel, a long-unused secondary. */
  attention: Attention[];
}

/**
 * Whether the caller proved a second factor recently. Once a subject has any active factor, adding
 * or confirming another one needs that proof: the password alone must never be enough to put a new
 * factor on an account that already has one (the setup-after-support-reset hole).
 */
export interface Proof {
  recentSecondFactor: boolean;
}

export interface EnrolRequest {
  type: FactorType;
  role: FactorRole;
  phone?: string;
  /** A name for the factor, for kinds that keep one (a passkey's device). */
  label?: string;
  /** The subject's login email (email factor destination, authenticator label). */
  email: string;
}

/**
 * A subject's set of factors: enrol, confirm, change roles, remove, reset. Every change takes a
 * per-subject lock and re-checks the rules inside its transaction, so two requests racing cannot
 * leave a set that breaks them; the database's unique indexes stand behind that.
 */
@Injectable()
export class FactorService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly options: TwoFactorOptions,
    private readonly registry: FactorRegistry,
    private readonly recoveryCodes: RecoveryCodes,
    private readonly lockout: Lockout,
    private readonly events: TwoFactorEvents,
    private readonly outbox: DeliveryOutbox,
    private readonly clock: Clock,
  ) {}

  policy(realm: Realm): FactorPolicy {
    return this.options.policies[realm];
  }

  async overview({ realm, subjectId }: Subject): Promise<FactorOverview> {
    const factors = await this.load({ realm, subjectId });
    const missing = setupRequired(this.policy(realm), factors);
    const summaries = factors.map((factor) => summarise(factor, this.registry));
    return {
      factors: summaries,
      recoveryCodes: await this.recoveryCodes.status(realm, subjectId),
      policy: this.policy(realm),
      complete: missing.length === 0,
      setupRequired: missing,
      attention: this.attention(summaries),
    };
  }

  /** What the subject should look at among these factors (see attentionFor). */
  attention(factors: FactorSummary[]): Attention[] {
    return attentionFor(factors, this.clock.now(), this.options.staleFactorDays);
  }

  /**
   * Starts re-confirming an active factor the subject has not used for long or whose messages fail:
   * a code is sent (SMS, email), a factor answered with data gets its options for this check (a passkey's
   * request options, which only `recheck` accepts), or, for an app, the next code is simply awaited.
   * Verifying it at `recheck` marks the factor used and its channel healthy.
   */
  async startCheck(subject: Subject, factorId: string): Promise<{ expiresAt?: Date; resendAvailableAt?: Date } & Record<string, unknown>> {
    return this.txHost.withTransaction(async () => {
      await lockSubject(this.txHost, subject.realm, subject.subjectId);
      const factor = await this.find(subject, factorId);
      if (factor.status !== 'active') throw new TwoFactorError('factor_not_found');
      const kind = this.registry.get(factor.type);
      // Without its own challenge such a factor could never pass recheck, and every try would count toward the lock.
      if (kind.challengeOptions) return kind.challengeOptions(factor, null);
      if (!kind.sendsCodes) return {};
      const sent = await kind.send!(factor, null);
      if (sent.delivery) await this.outbox.add(sent.delivery);
      return { expiresAt: sent.result.expiresAt, resendAvailableAt: sent.result.resendAvailableAt };
    });
  }

  async hasActiveFactor(subject: Subject): Promise<boolean> {
    return this.txHost.tx.existsBy(FactorEntity, { ...subject, status: 'active' });
  }

  async setupRequired({ realm, subjectId }: Subject): Promise<SetupRequirement[]> {
    return setupRequired(this.policy(realm), await this.load({ realm, subjectId }));
  }

  /** Adds a pending factor and starts its confirmation (a secret to scan, or a code sent). */
  async enrol(subject: Subject, request: EnrolRequest, proof: Proof, actor: ChangeActor = {}): Promise<{ factor: FactorSummary } & Record<string, unknown>> {
    return this.txHost.withTransaction(async () => {
      const manager = this.txHost.tx;
      const factors = await this.lockAndLoad(subject);
      throwIf(checkAdd(this.policy(subject.realm), factors, request));
      assertProven(factors, proof);
      // A newer enrolment of the same type replaces an unfinished one.
      await manager.delete(FactorEntity, { ...subject, type: request.type, status: 'pending' });
      const factor = await manager.save(
        manager.create(FactorEntity, { ...subject, type: request.type, role: request.role, status: 'pending', createdAt: this.clock.now() }),
      );
      const revealed = await this.registry.get(request.type).enrol(factor, { phone: request.phone, email: request.email, label: request.label });
      await this.events.record({ type: 'factor.enrolment_started', ...subject, ...actor, data: { factorId: factor.id, type: factor.type, role: factor.role } });
      // The code's message is an outbox row of this transaction: sent only if the enrolment commits.
      if (revealed.delivery) await this.outbox.add(revealed.delivery);
      return { factor: summarise(factor, this.registry), ...revealed.result };
    });
  }

  async resendEnrolmentCode(subject: Subject, factorId: string) {
    const result = await this.txHost.withTransaction(async () => {
      await lockSubject(this.txHost, subject.realm, subject.subjectId);
      const factor = await this.find(subject, factorId);
      if (factor.status !== 'pending') throw new TwoFactorError('factor_not_pending');
      const kind = this.registry.get(factor.type);
      if (!kind.sendsCodes) throw new TwoFactorError('not_resendable');
      const sent = await kind.send!(factor, null);
      if (sent.delivery) await this.outbox.add(sent.delivery);
      return sent.result;
    });
    return { expiresAt: result.expiresAt, resendAvailableAt: result.resendAvailableAt };
  }

  /**
   * Confirms a pending factor with a code. The first factor a subject ever activates also brings
   * their recovery codes, shown this once.
   */
  async confirm(subject: Subject, factorId: string, answer: FactorAnswer, proof: Proof, actor: ChangeActor = {}) {
    const outcome = await this.txHost.withTransaction(async () => {
      const manager = this.txHost.tx;
      const factors = await this.lockAndLoad(subject);
      const factor = factors.find((candidate) => candidate.id === factorId);
      if (!factor) throw new TwoFactorError('factor_not_found');
      // An active factor is being re-confirmed (after startCheck): the factor works, nothing is added.
      if (factor.status === 'active') return this.recheck(subject, factor, answer, actor);
      if (factor.status !== 'pending') throw new TwoFactorError('factor_not_pending');
      const kind = this.registry.get(factor.type);
      // A scanned secret left unconfirmed is a live secret lying about: it is good for a few minutes only.
      if (!kind.sendsCodes && this.clock.now().getTime() - factor.createdAt.getTime() >= this.options.enrolmentTtlSeconds * 1000) {
        return { error: new TwoFactorError('code_expired') };
      }
      const checked = await kind.verify(factor, answer, null);
      if (checked.result === 'expired') return { error: new TwoFactorError('code_expired') };
      if (checked.result === 'invalid') return { error: await this.failEnrolment(factor, checked) };

      throwIf(checkActivate(this.policy(subject.realm), factors, factor.id));
      assertProven(factors, proof);
      const now = this.clock.now();
      await manager.update(FactorEntity, { id: factor.id }, { status: 'active', verifiedAt: now, lastUsedAt: now });
      await this.events.record({ type: 'factor.activated', ...subject, ...actor, data: this.describe(factor) });

      const codes = await this.recoveryCodes.status(subject.realm, subject.subjectId);
      let recoveryCodes: string[] | undefined;
      if (codes.total === 0) {
        recoveryCodes = (await this.recoveryCodes.regenerate(subject.realm, subject.subjectId, this.policy(subject.realm).recoveryCodeCount)).codes;
        await this.events.record({ type: 'recovery_codes.generated', ...subject, ...actor, data: { count: recoveryCodes.length, first: true } });
      }
      const overview = await this.overview(subject);
      return { result: { factor: overview.factors.find((summary) => summary.id === factor.id)!, ...overview, recoveryCodes } };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.result;
  }

  /**
   * A code for an active factor (after `startCheck`): the factor works. A wrong code counts toward the
   * account's lock like one at sign-in, so this route is no way around the failure budget.
   */
  private async recheck(subject: Subject, factor: FactorEntity, answer: FactorAnswer, actor: ChangeActor) {
    const retryAfter = await this.lockout.retryAfter(subject.realm, subject.subjectId);
    if (retryAfter > 0) return { error: new TwoFactorError('mfa_locked', { retryAfter }) };
    const checked = await this.registry.get(factor.type).verify(factor, answer, null);
    if (checked.result === 'expired') return { error: new TwoFactorError('code_expired') };
    if (checked.result === 'invalid') {
      const account = await this.lockout.recordFailure(subject.realm, subject.subjectId);
      await this.events.record({ type: 'mfa.failed', ...subject, ...actor, data: { factorId: factor.id, method: factor.type, purpose: 'check' } });
      if (account.lockedUntil) {
        const seconds = Math.ceil((account.lockedUntil.getTime() - this.clock.now().getTime()) / 1000);
        await this.events.record({ type: 'mfa.locked', ...subject, data: { lockedUntil: account.lockedUntil.toISOString(), retryAfter: seconds } });
        return { error: new TwoFactorError('mfa_locked', { retryAfter: seconds }) };
      }
      return { error: new TwoFactorError(checked.errorCode ?? 'invalid_code', { attemptsRemaining: Math.min(account.remaining, checked.attemptsRemaining ?? Infinity) }) };
    }
    // Re-confirmed by the subject: used now, and its channel evidently delivers.
    const now = this.clock.now();
    await this.txHost.tx.update(FactorEntity, { id: factor.id }, { lastUsedAt: now, healthStatus: 'ok', deliveryFailuresInRow: 0 });
    await this.lockout.clear(subject.realm, subject.subjectId);
    await this.events.record({ type: 'factor.checked', ...subject, ...actor, data: this.describe(factor) });
    const overview = await this.overview(subject);
    return { result: { factor: overview.factors.find((summary) => summary.id === factor.id)!, ...overview, recoveryCodes: undefined as string[] | undefined } };
  }

  /** Makes a factor primary or secondary; promoting a secondary demotes the primary in the same step. */
  async changeRole(subject: Subject, factorId: string, role: FactorRole, actor: ChangeActor = {}): Promise<FactorSummary[]> {
    return this.txHost.withTransaction(async () => {
      const manager = this.txHost.tx;
      const factors = await this.lockAndLoad(subject);
      const factor = factors.find((candidate) => candidate.id === factorId && candidate.status === 'active');
      if (!factor) throw new TwoFactorError('factor_not_found');
      const result = checkRoleChange(this.policy(subject.realm), factors, factorId, role);
      if ('violation' in result) throw new TwoFactorError(result.violation.code);
      // Demotions first: the unique index allows only one primary at any moment.
      const ordered = [...result.changes].sort((a, b) => (a.role === 'secondary' ? -1 : 1) - (b.role === 'secondary' ? -1 : 1));
      for (const change of ordered) await manager.update(FactorEntity, { id: change.id }, { role: change.role });
      if (result.changes.length) {
        await this.events.record({ type: 'factor.role_changed', ...subject, ...actor, data: { ...this.describe(factor), changes: result.changes } });
      }
      return (await this.overview(subject)).factors;
    });
  }

  /**
   * Removes a factor. Subjects are held to the rules (`enforce`); staff removals are not — the
   * subject then finishes setup at their next sign-in. `keepLastActive` refuses (403 forbidden) to
   * take away the last active factor: one by one, removals would otherwise add up to a whole reset
   * by someone not allowed to do one.
   */
  async remove(subject: Subject, factorId: string, options: ChangeActor & { enforce: boolean; keepLastActive?: boolean }): Promise<FactorSummary> {
    // Joins the caller's transaction when there is one (support's removal writes its own audit row with it).
    return this.txHost.withTransaction(async () => {
      const manager = this.txHost.tx;
      const factors = await this.lockAndLoad(subject);
      const factor = factors.find((candidate) => candidate.id === factorId);
      if (!factor) throw new TwoFactorError('factor_not_found');
      throwIf(checkRemove(this.policy(subject.realm), factors, factorId, { enforce: options.enforce }));
      const lastActive = factor.status === 'active' && !factors.some((other) => other.id !== factor.id && other.status === 'active');
      if (options.keepLastActive && lastActive) throw new TwoFactorError('forbidden');
      await manager.delete(FactorEntity, { id: factor.id });
      if (factor.status === 'active') {
        const { enforce: _enforce, keepLastActive: _keep, ...actor } = options;
        await this.events.record({ type: 'factor.removed', ...subject, ...actor, data: this.describe(factor) });
      }
      return summarise(factor, this.registry);
    });
  }

  /** Everything gone: factors, recovery codes, failure budget. The next sign-in sets up afresh. */
  async resetAll(subject: Subject, actor: ChangeActor): Promise<void> {
    await this.txHost.withTransaction(async () => {
      const factors = await this.lockAndLoad(subject);
      await this.txHost.tx.delete(FactorEntity, { ...subject });
      await this.recoveryCodes.revokeAll(subject.realm, subject.subjectId);
      await this.lockout.clear(subject.realm, subject.subjectId);
      await this.events.record({ type: 'mfa.reset', ...subject, ...actor, data: { factorsRemoved: factors.filter((f) => f.status === 'active').map((f) => this.describe(f)) } });
    });
  }

  async regenerateRecoveryCodes(subject: Subject, actor: ChangeActor = {}): Promise<{ codes: string[]; generatedAt: Date }> {
    return this.txHost.withTransaction(async () => {
      await this.lockAndLoad(subject);
      const generated = await this.recoveryCodes.regenerate(subject.realm, subject.subjectId, this.policy(subject.realm).recoveryCodeCount);
      await this.events.record({ type: 'recovery_codes.generated', ...subject, ...actor, data: { count: generated.codes.length } });
      return generated;
    });
  }

  async unlock(subject: Subject, actor: ChangeActor): Promise<void> {
    await this.txHost.withTransaction(async () => {
      await this.lockout.clear(subject.realm, subject.subjectId);
      await this.events.record({ type: 'mfa.unlocked', ...subject, ...actor, data: {} });
    });
  }

  /**
   * A wrong confirmation code spends the enrolment's budget as well as the code's; the last one ends
   * the enrolment (returned, not thrown, so the count commits). attemptsRemaining is the smaller of the two.
   */
  private async failEnrolment(factor: FactorEntity, checked: WrongAnswer): Promise<TwoFactorError> {
    const manager = this.txHost.tx;
    const [row] = returnedRows<{ failed_attempts: number }>(
      await manager.query(`UPDATE mfa_factors SET failed_attempts = failed_attempts + 1 WHERE id = $1 RETURNING failed_attempts`, [factor.id]),
    );
    const enrolmentRemaining = Math.max(this.options.enrolmentMaxFailures - row.failed_attempts, 0);
    if (enrolmentRemaining === 0) await manager.delete(FactorEntity, { id: factor.id });
    return new TwoFactorError(checked.errorCode ?? 'invalid_code', { attemptsRemaining: Math.min(enrolmentRemaining, checked.attemptsRemaining ?? Infinity) });
  }

  private describe(factor: FactorEntity): Record<string, unknown> {
    return { factorId: factor.id, type: factor.type, role: factor.role, hint: this.registry.get(factor.type).hint(factor) };
  }

  private async find(subject: Subject, factorId: string): Promise<FactorEntity> {
    const factor = isUuid(factorId) ? await this.txHost.tx.findOneBy(FactorEntity, { id: factorId, ...subject }) : null;
    if (!factor) throw new TwoFactorError('factor_not_found');
    return factor;
  }

  private async load(subject: Subject): Promise<FactorEntity[]> {
    return (await this.txHost.tx.findBy(FactorEntity, { ...subject })).sort(byRoleThenAge);
  }

  /** Serialises changes to one subject's factors, then reads them. */
  private async lockAndLoad(subject: Subject): Promise<FactorEntity[]> {
    await lockSubject(this.txHost, subject.realm, subject.subjectId);
    return this.load(subject);
  }
}

function assertProven(factors: FactorEntity[], proof: Proof): void {
  if (!proof.recentSecondFactor && factors.some((factor) => factor.status === 'active')) throw new TwoFactorError('recent_mfa_required');
}

function throwIf(violation: RuleViolation | null): void {
  if (violation) throw new TwoFactorError(violation.code);
}
