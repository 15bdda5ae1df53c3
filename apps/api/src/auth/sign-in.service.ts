import { Injectable } from '@nestjs/common';
import { Attention, ChallengeAnswer, Clock, ChallengeService, ClientContext, FactorService, Realm, setupRequired as checkSetup, VerifiedSignIn } from '@app/twofactor';
import { PasswordThrottle } from './password-throttle';
import { IssuedTokens, SessionService } from './session.service';

export interface TokenPair {
  accessToken: string;
  refreshToken?: string;
  tokenType: 'Bearer';
  expiresIn: number;
  scope: 'session' | 'enroll';
  setupRequired: string[];
  method?: string;
  recoveryCodesRemaining?: number;
}

export type LoginAnswer =
  | ({ status: 'mfa_required'; attention: Attention[] } & Awaited<ReturnType<ChallengeService['begin']>>)
  | { status: 'mfa_setup_required'; accessToken: string; tokenType: 'Bearer'; scope: 'enroll'; expiresIn: number };

// RFC 8176 method references for the access token's `amr` claim.
const AMR: Record<VerifiedSignIn['method'], string> = { totp: 'otp', sms: 'sms', email: 'email', recovery_code: 'kba' };

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
    private readonly clock: Clock,
  ) {}

  async afterPassword(realm: Realm, subjectId: string, client: ClientContext): Promise<LoginAnswer> {
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

  async verify(realm: Realm, mfaToken: string, answer: ChallengeAnswer, client: ClientContext): Promise<TokenPair> {
    const signedIn = await this.challenges.verify(realm, mfaToken, answer, client);
    const { subjectId, method } = signedIn;
    // Only a complete setup gets a full session. An account still lacking what its policy requires
    // (support removed its primary, or only a primary was set up) gets an enroll login, proven by the
    // factor just passed, until it finishes setup (POST /me/factors/:id/verify then answers a session).
    // The one-write path hands back the factors it read: no second read for the setup state.
    const setupRequired = signedIn.factors
      ? checkSetup(this.factors.policy(realm), signedIn.factors)
      : await this.factors.setupRequired({ realm, subjectId });
    const tokens = await this.sessions.start(realm, subjectId, {
      scope: setupRequired.length ? 'enroll' : 'session', amr: ['pwd', 'mfa', AMR[method]], method, mfaAt: this.clock.now(), authTime: signedIn.authTime, ...client,
      // Both factors passed from this client: guessing at the account's password elsewhere never slows it down.
      alongside: this.throttle.rememberClientStatement(realm, subjectId, client.ip),
    });
    return { ...this.pair(tokens, setupRequired), method, ...(signedIn.recoveryCodesRemaining !== undefined ? { recoveryCodesRemaining: signedIn.recoveryCodesRemaining } : {}) };
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
