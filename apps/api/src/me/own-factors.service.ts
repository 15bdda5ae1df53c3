import { Injectable } from '@nestjs/common';
import { ChallengeService, ClientContext, Clock, FactorAnswer, FactorRegistry, FactorService, hasRecentSecondFactor, Principal, TwoFactorOptions } from '@app/twofactor';
import { SessionService } from '../auth/session.service';
import { SignInService } from '../auth/sign-in.service';
import { SubjectEmails } from '../notifications/subject-emails';
import { validationFailed } from '../common/validation';
import { ChangeRoleDto, EnrolFactorDto, factorAnswerOf, StepUpVerifyDto } from './me.dto';

/** SMS codes can be intercepted (SIM swap, SS7): customers choosing SMS are told, and pointed at an app. */
export const SMS_RISK_NOTICE =
  'Text messages can be intercepted or redirected if someone takes over your mobile number. An authenticator app is safer; keep your backup method up to date.';

/** A signed-in subject (customer or staff) managing their own factors; the realm comes from the token. */
@Injectable()
export class OwnFactorsService {
  constructor(
    private readonly factors: FactorService,
    private readonly challenges: ChallengeService,
    private readonly sessions: SessionService,
    private readonly signIn: SignInService,
    private readonly emails: SubjectEmails,
    private readonly options: TwoFactorOptions,
    private readonly clock: Clock,
    private readonly registry: FactorRegistry,
  ) {}

  overview(principal: Principal) {
    return this.factors.overview(subjectOf(principal));
  }

  async enrol(principal: Principal, body: EnrolFactorDto, client: ClientContext) {
    if (!this.registry.has(body.type)) throw validationFailed('type', `type must be one of ${this.registry.types().join(', ')}`);
    const email = (await this.emails.emailOf(principal.realm, principal.subjectId)) ?? '';
    const enrolled = await this.factors.enrol(subjectOf(principal), { type: body.type, role: body.role, phone: body.phone, label: body.label, email }, this.proofOf(principal), actorOf(principal, client));
    return body.type === 'sms' ? { ...enrolled, riskNotice: SMS_RISK_NOTICE } : enrolled;
  }

  async confirm(principal: Principal, factorId: string, factorAnswer: FactorAnswer, client: ClientContext) {
    const result = await this.factors.confirm(subjectOf(principal), factorId, factorAnswer, this.proofOf(principal), actorOf(principal, client));
    const { recoveryCodes, ...rest } = result;
    const answer: Record<string, unknown> = { ...rest, ...(recoveryCodes ? { recoveryCodes } : {}) };
    if (principal.scope !== 'enroll') return answer;
    // The first factor of a setup is this login's proof for the rest of the setup.
    await this.sessions.markSecondFactor(principal.sessionId);
    if (result.complete) {
      // Setup done: this login becomes a full session, and any other half-done setup login ends.
      const method = rest.factor.type;
      const tokens = await this.sessions.upgrade(principal.sessionId, { amr: ['pwd', 'mfa', this.registry.amrOf(method)], method });
      await this.sessions.revokeEnrollLogins(principal.realm, principal.subjectId, principal.sessionId);
      answer.tokens = { ...this.signIn.pair(tokens, []), method };
    }
    return answer;
  }

  /** Starts a step-up: the same challenge as a sign-in, for the subject already signed in. */
  stepUp(principal: Principal, client: ClientContext) {
    return this.challenges.begin(principal.realm, principal.subjectId, client, this.stepUpScope(principal));
  }

  /** A factor passed again: this login counts as having just proven a second factor. */
  async completeStepUp(principal: Principal, body: StepUpVerifyDto, client: ClientContext) {
    // Only this login's own step-up token counts; a sign-in token or another login's is refused untouched.
    const proven = await this.challenges.verify(principal.realm, body.mfaToken, { factorId: body.factorId, ...factorAnswerOf(body) }, client, this.stepUpScope(principal));
    await this.sessions.markSecondFactor(principal.sessionId);
    return { mfaAt: this.clock.now(), method: proven.method };
  }

  resend(principal: Principal, factorId: string) {
    return this.factors.resendEnrolmentCode(subjectOf(principal), factorId);
  }

  startCheck(principal: Principal, factorId: string) {
    return this.factors.startCheck(subjectOf(principal), factorId);
  }

  async changeRole(principal: Principal, factorId: string, body: ChangeRoleDto, client: ClientContext) {
    return { factors: await this.factors.changeRole(subjectOf(principal), factorId, body.role, actorOf(principal, client)) };
  }

  remove(principal: Principal, factorId: string, client: ClientContext) {
    return this.factors.remove(subjectOf(principal), factorId, { enforce: true, ...actorOf(principal, client) });
  }

  regenerateRecoveryCodes(principal: Principal, client: ClientContext) {
    return this.factors.regenerateRecoveryCodes(subjectOf(principal), actorOf(principal, client));
  }

  private stepUpScope(principal: Principal) {
    return { purpose: 'step_up' as const, subjectId: principal.subjectId, sessionId: principal.sessionId };
  }

  private proofOf(principal: Principal) {
    return { recentSecondFactor: hasRecentSecondFactor(principal, this.clock.now(), this.options.recentSecondFactorSeconds) };
  }
}

export function subjectOf(principal: Principal) {
  return { realm: principal.realm, subjectId: principal.subjectId };
}

/** The subject acting on their own account, and from where: self-service audit events carry the client IP. */
function actorOf(principal: Principal, client: ClientContext) {
  return { actor: { type: principal.realm, id: principal.subjectId }, ip: client.ip ?? null };
}
