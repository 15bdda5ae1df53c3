import { applyDecorators, Body, HttpCode, Post, Res, Type } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { AllowEnrollScope, ClientContext, CurrentPrincipal, Principal, Public, Realm } from '@app/twofactor';
import type { Response } from 'express';
import { ChallengeDto, LoginDto, LogoutDto, RefreshDto, VerifyDto } from '../auth/auth.dto';
import { SessionService } from '../auth/session.service';
import { SignInService, TokenPair } from '../auth/sign-in.service';
import { Client } from '../common/client-context.decorator';
import { NoStore } from '../common/no-store.decorator';
import { RateLimit } from '../throttling/rate-limit';

/** One route's OpenAPI text: its summary, and any answers it documents (ApiErrors, ApiOkResponse …). */
interface RouteDocs {
  summary: string;
  answers?: MethodDecorator[];
}

/** What differs between the realms' sign-in routes: where they live, their bodies, and their documentation. */
export interface SignInRealm {
  realm: Realm;
  /** Path of the routes, e.g. `auth` → /auth/login, /auth/mfa/verify … */
  path: string;
  /** The login and second-factor bodies (a realm's may add fields, e.g. the customer's deviceToken). */
  loginBody: Type<LoginDto>;
  verifyBody: Type<VerifyDto>;
  docs: Record<'login' | 'challenge' | 'verify' | 'refresh' | 'logout', RouteDocs>;
}

/** What a realm's password step proved: whose password it was, and a remembered device to honour, if any. */
export interface PasswordProof {
  subjectId: string;
  deviceToken?: string;
}

/**
 * The sign-in routes (password, choose a factor, second factor, refresh, logout) of one realm, as a base
 * class its controller extends (like OwnFactorsRoutes). The flow is the same for every realm; a realm's
 * controller says how a password is checked and, if it must, how a second-factor step ends.
 */
export function SignInRoutes(realm: SignInRealm) {
  const { docs, path } = realm;

  abstract class RealmSignInRoutes {
    constructor(
      protected readonly signIn: SignInService,
      protected readonly sessions: SessionService,
    ) {}

    /** The realm's password check (throttled, audited), for a body of the realm's login type. */
    protected abstract checkPassword(body: LoginDto, client: ClientContext): Promise<PasswordProof>;

    /** The second-factor step; a realm may route it elsewhere (the customer's password reset). */
    protected secondFactor(body: VerifyDto, client: ClientContext): Promise<TokenPair> {
      return this.signIn.verify(realm.realm, body.mfaToken, body.toAnswer(), client);
    }

    @Public()
    @Post(`${path}/login`)
    @HttpCode(200)
    @NoStore()
    @RateLimit('login')
    @Documented(docs.login)
    async login(@Body() body: LoginDto, @Client() client: ClientContext) {
      const proof = await this.checkPassword(body, client);
      return this.signIn.afterPassword(realm.realm, proof.subjectId, client, proof.deviceToken);
    }

    @Public()
    @Post(`${path}/mfa/challenge`)
    @RateLimit('mfa')
    @Documented(docs.challenge)
    async challenge(@Body() body: ChallengeDto, @Res({ passthrough: true }) res: Response) {
      const answer = await this.signIn.challenge(realm.realm, body.mfaToken, body.factorId);
      res.status('sentTo' in answer && answer.sentTo ? 202 : 200);
      return answer;
    }

    @Public()
    @Post(`${path}/mfa/verify`)
    @HttpCode(200)
    @NoStore()
    @RateLimit('mfa')
    @Documented(docs.verify)
    verify(@Body() body: VerifyDto, @Client() client: ClientContext) {
      return this.secondFactor(body, client);
    }

    @Public()
    @Post(`${path}/refresh`)
    @HttpCode(200)
    @NoStore()
    @RateLimit('account')
    @Documented(docs.refresh)
    refresh(@Body() body: RefreshDto, @Client() client: ClientContext) {
      return this.signIn.refresh(body.refreshToken, realm.realm, client);
    }

    @Post(`${path}/logout`)
    @HttpCode(204)
    @AllowEnrollScope()
    @ApiBearerAuth()
    @Documented(docs.logout)
    async logout(@CurrentPrincipal() principal: Principal, @Body() _body: LogoutDto, @Client() client: ClientContext) {
      await this.sessions.logout(principal.sessionId, client);
    }
  }

  // The validation pipe and the OpenAPI document read a body's class from the parameter types TypeScript
  // records, which name the base bodies: record the realm's own, so its extra fields are validated and
  // documented, and a customer-only field (deviceToken, newPassword) stays an unknown field (400) for staff.
  Reflect.defineMetadata('design:paramtypes', [realm.loginBody, Object], RealmSignInRoutes.prototype, 'login');
  Reflect.defineMetadata('design:paramtypes', [realm.verifyBody, Object], RealmSignInRoutes.prototype, 'verify');
  return RealmSignInRoutes;
}

function Documented({ summary, answers = [] }: RouteDocs) {
  return applyDecorators(...answers, ApiOperation({ summary }));
}
