import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import {
  Attention, ChallengeAnswer, ChallengeService, ClientContext, Clock, FactorRegistry, FactorService, Lockout, OnVerified, Realm, setupRequired as checkSetup, TwoFactorError,
  VerifiedSignIn, VerifyScope,
} from '@app/twofactor';
import { AuditService } from '../audit/audit.service';
import { TrustedDevices } from '../devices/trusted-devices.service';
import { PasswordThrottle } from './password-throttle';
import { IssuedTokens, PreparedSession, SessionService } from './session.service';

export interface TokenPair {
  accessToken: string;
  refreshToken?: string;
  tokenType: 'Bearer';
  expiresIn: number;
  scope: 'session' | 'enroll';
  setupRequired: string[];
  method?: string;
  recoveryCodesRemaining?: number;
  /** With rememberDevice: the token the browser sends with its next password logins (shown once). */
  deviceToken?: string;
}

export interface VerifyOptions {
  /** Which challenge the mfaToken must be (a sign-in's by default). */
  scope?: VerifyScope;
  /** Customers only: remember this browser (only once the account's setup is complete). */
  rememberDevice?: boolean;
  /** More work for the same transaction as the answer, before the session starts (a password reset's). */
  beforeSession?: OnVerified;
}

export type LoginAnswer =
  | ({ status: 'mfa_required'; attention: Attention[] } & Awaited<ReturnType<ChallengeService['begin']>>)
  | { status: 'mfa_setup_required'; accessToken: string; tokenType: 'Bearer'; scope: 'enroll'; expiresIn: number }
  | ({ status: 'signed_in' } & TokenPair);

/**
 * What happens after a password is proven, the same for customers and staff: an account with no
 * active factor gets an enroll-scope token to set one up; every other account must pass a second
 * factor, and gets a full session only once its setup is complete.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly factors: FactorService,
    private readonly challenges: ChallengeService,
    private readonly sessions: SessionService,
    private readonly throttle: PasswordThrottle,
    private readonly devices: TrustedDevices,
    private readonly lockout: Lockout,
    private readonly audit: AuditService,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    private readonly registry: FactorRegistry,
  ) {}

  async afterPassword(realm: Realm, subjectId: string, client: ClientContext, deviceToken?: string): Promise<LoginAnswer> {
    if (deviceToken !== undefined && realm === 'customer') {
      const signedIn = await this.withTrustedDevice(subjectId, deviceToken, client);
      if (signedIn) return signedIn;
    }
    // Only an account with no active factor at all may set up with the password alone. One that still
    // has a factor (say, support removed a lost phone that was its primary) must pass that factor
    // first; its (enroll) login then carries setupRequired: ["primary"].
    if (!(await this.factors.hasActiveFactor({ realm, subjectId }))) {
      const tokens = await this.sessions.start(realm, subjectId, { scope: 'enroll', amr: ['pwd'], method: null, mfaAt: null, ...client });
      return { status: 'mfa_setup_required', accessToken: tokens.accessToken, tokenType: 'Bearer', scope: 'enroll', expiresIn: tokens.expiresIn };
    }
    const challenge = await this.challenges.begin(realm, subjectId, client);
    // Told while the subject still has a working factor: a channel that fails, a secondary left unused.
    return { status: 'mfa_required', ...challenge, attention: this.factors.attention(challenge.factors) };
  }

  async verify(realm: Realm, mfaToken: string, answer: ChallengeAnswer, client: ClientContext, options: VerifyOptions = {}): Promise<TokenPair> {
    // The session commits with the answer: one mfaToken gives one session, and a failure after the
    // answer leaves nothing half-done. A plain sign-in hands its session over as statements, which the
    // library folds into the write that spends the answer (one round trip, no transaction); a password
    // reset or a remembered device needs more than statements, and runs in the answer's transaction.
    if (options.beforeSession || options.rememberDevice) return this.verifyWithFollowUp(realm, mfaToken, answer, client, options);
    let prepared: { tokens: IssuedTokens; setupRequired: string[] } | undefined;
    const signedIn = await this.challenges.verify(realm, mfaToken, answer, client, options.scope, {
      statements: async (proof) => {
        const { session, setupRequired } = await this.prepareSession(realm, proof, client);
        // Signed before the write (the tokens do not depend on it, and issuing a stored refresh token writes
        // nothing): a signing failure then spends no code and opens no session.
        prepared = { tokens: await session.issue(), setupRequired };
        return session.statements;
      },
    });
    const { tokens, setupRequired } = prepared!;
    return { ...this.pair(tokens, setupRequired), method: signedIn.method, ...recoveryCodesLeft(signedIn) };
  }

  private async verifyWithFollowUp(realm: Realm, mfaToken: string, answer: ChallengeAnswer, client: ClientContext, options: VerifyOptions): Promise<TokenPair> {
    let pair: TokenPair | undefined;
    const signedIn = await this.challenges.verify(realm, mfaToken, answer, client, options.scope, async (proof) => {
      await options.beforeSession?.(proof);
      const { session, setupRequired } = await this.prepareSession(realm, proof, client);
      pair = { ...this.pair(await this.sessions.open(session), setupRequired), method: proof.method };
      // Only a complete setup is remembered: a device must never stand in for a factor still to be set up.
      if (options.rememberDevice && realm === 'customer' && !setupRequired.length) pair.deviceToken = await this.devices.trust(proof.subjectId, client);
    });
    return { ...pair!, ...recoveryCodesLeft(signedIn) };
  }

  /**
   * The login a passed second factor opens. Only a complete setup gets a full session: an account still
   * lacking what its policy requires (support removed its primary, or only a primary was set up) gets an
   * enroll login, proven by the factor just passed, until it finishes setup (POST /me/factors/:id/verify
   * then answers a session). The one-write path hands back the factors it read: no second read.
   */
  private async prepareSession(realm: Realm, proof: VerifiedSignIn, client: ClientContext): Promise<{ session: PreparedSession; setupRequired: string[] }> {
    const { subjectId, method } = proof;
    const setupRequired = proof.factors ? checkSetup(this.factors.policy(realm), proof.factors) : await this.factors.setupRequired({ realm, subjectId });
    const session = this.sessions.prepare(realm, subjectId, {
      scope: setupRequired.length ? 'enroll' : 'session', amr: ['pwd', 'mfa', this.registry.amrOf(method)], method, mfaAt: this.clock.now(), authTime: proof.authTime, ...client,
      // Both factors passed from this client: guessing at the account's password elsewhere never slows it down.
      alongside: this.throttle.rememberClientStatement(realm, subjectId, client.ip),
    });
    return { session, setupRequired };
  }

  /**
   * A password login from a remembered browser. The account lock still holds (a locked account is told
   * so, as after any correct password), and only a complete setup qualifies. The login does not count
   * as a fresh second factor (mfaAt stays empty): sensitive changes still ask for one.
   */
  private async withTrustedDevice(customerId: string, deviceToken: string, client: ClientContext): Promise<LoginAnswer | null> {
    return this.txHost.withTransaction(async () => {
      const retryAfter = await this.lockout.retryAfter('customer', customerId);
      if (retryAfter > 0) throw new TwoFactorError('mfa_locked', { retryAfter });
      const setupRequired = await this.factors.setupRequired({ realm: 'customer', subjectId: customerId });
      // An account with no factor at all lacks a primary, so this also refuses it.
      if (setupRequired.length) return null;
      const device = await this.devices.use(customerId, deviceToken, client);
      if (!device) return null;
      const tokens = await this.sessions.start('customer', customerId, { scope: 'session', amr: ['pwd', 'swk'], method: 'trusted_device', mfaAt: null, ...client });
      await this.throttle.rememberClient('customer', customerId, client.ip);
      await this.audit.record(
        { type: 'device.signed_in', actor: { type: 'customer', id: customerId }, subject: { type: 'customer', id: customerId }, ip: client.ip, data: { deviceId: device.id, label: device.label } },
      );
      return { status: 'signed_in' as const, ...this.pair(tokens, []), method: 'trusted_device' };
    });
  }

  challenge(realm: Realm, mfaToken: string, factorId: string) {
    return this.challenges.challenge(realm, mfaToken, factorId);
  }

  async refresh(refreshToken: string, realm: Realm, client: ClientContext = {}): Promise<TokenPair> {
    const tokens = await this.sessions.refresh(refreshToken, realm, client);
    return this.pair(tokens, await this.factors.setupRequired({ realm, subjectId: tokens.subjectId }));
  }

  pair(tokens: IssuedTokens, setupRequired: string[]): TokenPair {
    const { sessionId: _sessionId, realm: _realm, subjectId: _subjectId, ...pair } = tokens;
    return { ...pair, setupRequired };
  }
}

function recoveryCodesLeft(signedIn: VerifiedSignIn): { recoveryCodesRemaining?: number } {
  return signedIn.recoveryCodesRemaining !== undefined ? { recoveryCodesRemaining: signedIn.recoveryCodesRemaining } : {};
}
