import { KeyObject, randomUUID, sign as signDigest } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock, Realm, TokenScope } from '@app/twofactor';
import { decodeProtectedHeader, exportJWK, JWK } from 'jose';
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
  // The header only changes with the key: encoded once, not per token.
  private readonly encodedHeader: string;
  // passport-jwt wants a PEM; exported once per key rather than on every authenticated request.
  private readonly verificationPems: Map<string, string>;

  constructor(
    private readonly config: AppConfig,
    private readonly keys: AppKeys,
    private readonly clock: Clock,
  ) {
    this.encodedHeader = base64url({ alg: ALGORITHM, kid: keys.signing.kid, typ: 'at+jwt' });
    this.verificationPems = new Map(keys.verification.map(({ kid, publicKey }) => [kid, publicKey.export({ type: 'spki', format: 'pem' }).toString()]));
  }

  get ttlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS;
  }

  /**
   * Signed with node:crypto directly rather than through jose: the same compact JWS, for a third of the CPU
   * (jose goes through WebCrypto and re-validates its builder on every call), and this runs on every sign-in.
   */
  async sign(claims: AccessClaims): Promise<string> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const payload = base64url({
      sid: claims.sessionId,
      scope: claims.scope,
      amr: claims.amr,
      auth_time: Math.floor(claims.authTime.getTime() / 1000),
      iss: this.config.publicBaseUrl,
      aud: claims.realm,
      sub: claims.subjectId,
      jti: randomUUID(),
      iat: now,
      exp: now + this.config.ACCESS_TOKEN_TTL_SECONDS,
    });
    const signingInput = `${this.encodedHeader}.${payload}`;
    return `${signingInput}.${es256(signingInput, this.keys.signing.privateKey)}`;
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
    return kid === undefined ? undefined : this.verificationPems.get(kid);
  }
}

function base64url(json: object): string {
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

// RFC 7518 §3.4: an ES256 signature is r and s side by side (IEEE P1363), not the DER node:crypto gives by default.
function es256(signingInput: string, privateKey: KeyObject): string {
  return signDigest('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
}
