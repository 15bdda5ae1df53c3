import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock, Realm, TokenScope } from '@app/twofactor';
import { exportJWK, JWK, JWTHeaderParameters, jwtVerify, SignJWT } from 'jose';
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

/** Signs and verifies ES256 access tokens; the audience is the realm, so a customer token means nothing to /admin. */
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

  /** The claims of a valid token for `realm`, or null for anything forged, expired or foreign. */
  async verify(token: string, realm: Realm): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, (header: JWTHeaderParameters) => this.verificationKey(header.kid), {
        algorithms: [ALGORITHM],
        audience: realm,
        issuer: this.config.publicBaseUrl,
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'sid', 'scope', 'exp', 'iat', 'auth_time'],
      });
      if (typeof payload.sid !== 'string' || (payload.scope !== 'session' && payload.scope !== 'enroll')) return null;
      return {
        realm,
        subjectId: payload.sub!,
        sessionId: payload.sid,
        scope: payload.scope,
        amr: Array.isArray(payload.amr) ? payload.amr.map(String) : [],
        authTime: new Date(Number(payload.auth_time) * 1000),
      };
    } catch {
      return null;
    }
  }

  /** The current key and, during a rotation, the previous one: verifiers elsewhere keep accepting its tokens. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const keys = await Promise.all(
      this.keys.verification.map(async ({ kid, publicKey }) => ({ ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' })),
    );
    return { keys };
  }

  // The token's kid picks the key; an unknown or missing kid is refused rather than tried against every key.
  private verificationKey(kid: string | undefined) {
    const key = this.keys.verification.find((candidate) => candidate.kid === kid);
    if (!key) throw new Error('unknown signing key id');
    return key.publicKey;
  }
}
