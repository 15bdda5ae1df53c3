import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock, Realm, TokenScope } from '@app/twofactor';
import { decodeProtectedHeader, exportJWK, JWK, SignJWT } from 'jose';
import type { SecretOrKeyProvider } from 'passport-jwt';
import { AppConfig } from '../config/app.config';
import { AppKeys } from '../config/keys';

export interface AccessClaims {
  realm: Realm;
  subjectId: string;
  sessionId: string;
  scope: TokenScope;
  amr: string[];
  authTime: Date;
}

// Pinned: a token naming any other algorithm (including "none") is refused before its signature is looked at.
const ALGORITHM = 'ES256';

/** What passport-jwt needs to check a token of one realm; the strategy adds where the token comes from. */
export interface TokenVerification {
  algorithms: [typeof ALGORITHM];
  audience: Realm;
  issuer: string;
  ignoreExpiration: true;
  secretOrKeyProvider: SecretOrKeyProvider;
}

/**
 * Signs ES256 access tokens, and says how they are verified (by the realms' Passport strategies): the
 * audience is the realm, so a customer token means nothing to /admin.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: AppKeys,
    private readonly clock: Clock,
  ) {}

  get ttlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS;
  }

  async sign(claims: AccessClaims): Promise<string> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({
      sid: claims.sessionId,
      scope: claims.scope,
      amr: claims.amr,
      auth_time: Math.floor(claims.authTime.getTime() / 1000),
    })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.keys.signing.kid, typ: 'at+jwt' })
      .setIssuer(this.config.publicBaseUrl)
      .setAudience(claims.realm)
      .setSubject(claims.subjectId)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + this.config.ACCESS_TOKEN_TTL_SECONDS)
      .sign(this.keys.signing.privateKey);
  }

  /**
   * The signature, algorithm, issuer and audience checks, for passport-jwt. Expiry is left to claimsOf():
   * jsonwebtoken reads the machine's clock, and the service's clock is injected (tests move it).
   */
  verification(realm: Realm): TokenVerification {
    return {
      algorithms: [ALGORITHM],
      audience: realm,
      issuer: this.config.publicBaseUrl,
      ignoreExpiration: true,
      secretOrKeyProvider: (_request, token: string, done) => {
        const key = this.verificationKey(token);
        if (key) done(null, key);
        else done(new Error('unknown signing key id'));
      },
    };
  }

  /** The claims of a token whose signature passport-jwt has checked, or null when expired or malformed. */
  claimsOf(payload: Record<string, unknown>, realm: Realm): AccessClaims | null {
    const { sub, sid, scope, exp, iat, auth_time: authTime, amr } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || (scope !== 'session' && scope !== 'enroll')) return null;
    if (typeof exp !== 'number' || typeof iat !== 'number' || typeof authTime !== 'number') return null;
    if (this.clock.now().getTime() >= exp * 1000) return null;
    return {
      realm,
      subjectId: sub,
      sessionId: sid,
      scope,
      amr: Array.isArray(amr) ? amr.map(String) : [],
      authTime: new Date(authTime * 1000),
    };
  }

  /** The current key and, during a rotation, the previous one: verifiers elsewhere keep accepting its tokens. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const keys = await Promise.all(
      this.keys.verification.map(async ({ kid, publicKey }) => ({ ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' })),
    );
    return { keys };
  }

  // The token's kid picks the key; an unknown or missing kid is refused rather than tried against every key.
  private verificationKey(token: string): string | undefined {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return undefined;
    }
    const key = this.keys.verification.find((candidate) => candidate.kid === kid);
    return key?.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }
}
