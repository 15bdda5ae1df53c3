import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock, oneStatement, Principal, Realm, returnedRows, SqlStatement, TokenScope } from '@app/twofactor';
import { IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app.config';
import { hashToken } from '../common/token-hash';
import { authError } from './auth.errors';
import { accountTable } from '../common/realm-tables';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';
import { TokenService } from './token.service';

export interface ClientInfo {
  ip?: string | null;
  userAgent?: string | null;
}

export interface StartSession extends ClientInfo {
  scope: TokenScope;
  amr: string[];
  method: string | null;
  mfaAt: Date | null;
  /** When the password was proven (defaults to now). */
  authTime?: Date;
  /** Another write that belongs to this sign-in ($1… numbered on its own), run in the same statement. */
  alongside?: SqlStatement | null;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken?: string;
  tokenType: 'Bearer';
  expiresIn: number;
  scope: TokenScope;
  sessionId: string;
  realm: Realm;
  subjectId: string;
}

/** A login not yet written: its statements, and the tokens to sign once they have committed. */
export interface PreparedSession {
  statements: SqlStatement[];
  issue(): Promise<IssuedTokens>;
}

interface RefreshOutcome {
  tokens?: IssuedTokens;
  reusedIn?: string;
  expired?: string;
}


/**
 * Logins and their refresh tokens. A refresh token is used once: each use rotates it, and a second
 * use of a rotated token means it was copied, so the whole login is revoked (OAuth 2.0 BCP §4.14).
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly config: AppConfig,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async start(realm: Realm, subjectId: string, start: StartSession): Promise<IssuedTokens> {
    return this.open(this.prepare(realm, subjectId, start));
  }

  /** Writes a prepared login in one statement (in the current transaction, if any) and issues its tokens. */
  async open(prepared: PreparedSession): Promise<IssuedTokens> {
    const { sql, params } = oneStatement(prepared.statements);
    await this.txHost.tx.query(sql, params);
    return prepared.issue();
  }

  /**
   * A login as statements, for a caller that runs them inside a write of its own (the sign-in folds
   * them into the statement that spends the second factor): the login, its first refresh token, the
   * account's last login and any `alongside` write, each a single statement with its own ids, so one
   * round trip does them all. `issue` signs the tokens once they have committed.
   */
  prepare(realm: Realm, subjectId: string, start: StartSession): PreparedSession {
    const now = this.clock.now();
    const session = this.txHost.tx.create(Session, {
      id: randomUUID(),
      realm,
      subjectId,
      scope: start.scope,
      amr: start.amr,
      method: start.method,
      authTime: start.authTime ?? now,
      mfaAt: start.mfaAt,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + this.config.SESSION_MAX_SECONDS * 1000),
      revokedAt: null,
      revokedReason: null,
      ip: truncate(start.ip, 64),
      userAgent: truncate(start.userAgent, 512),
    });
    const statements: SqlStatement[] = [{
      sql: `INSERT INTO sessions (id, realm, subject_id, scope, amr, method, auth_time, mfa_at, created_at, last_used_at, expires_at, ip, user_agent)
        VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $9, $10, $11, $12)`,
      params: [
        session.id, realm, subjectId, session.scope, JSON.stringify(session.amr), session.method, session.authTime, session.mfaAt,
        now, session.expiresAt, session.ip, session.userAgent,
      ],
    }];
    const refreshable = session.scope === 'session' || session.mfaAt !== null;
    const refreshToken = refreshable ? newRefreshToken() : undefined;
    if (refreshToken) {
      statements.push({ sql: `INSERT INTO refresh_tokens (session_id, token_hash, created_at) VALUES ($1, $2, $3)`, params: [session.id, hashToken(refreshToken), now] });
    }
    // "Last login" means a completed sign-in (a full session), not a password typed in.
    if (session.scope === 'session') statements.push({ sql: `UPDATE ${accountTable(realm)} SET last_login_at = $2 WHERE id = $1`, params: [subjectId, now] });
    if (start.alongside) statements.push(start.alongside);
    return { statements, issue: () => this.issue(session, refreshToken) };
  }

  /** An enroll-scope login that finished setting up its factors becomes a full session. */
  async upgrade(sessionId: string, proof: { amr: string[]; method: string }): Promise<IssuedTokens> {
    const now = this.clock.now();
    const session = await this.txHost.tx.findOneByOrFail(Session, { id: sessionId });
    Object.assign(session, { scope: 'session', amr: proof.amr, method: proof.method, mfaAt: now, lastUsedAt: now });
    await this.txHost.tx.update(Session, { id: sessionId }, { scope: 'session', amr: proof.amr, method: proof.method, mfaAt: now, lastUsedAt: now });
    // The enroll login's refresh token is spent: the full session starts with the pair issued below.
    await this.txHost.tx.update(RefreshToken, { sessionId, rotatedAt: IsNull() }, { rotatedAt: now });
    await this.recordLogin(session.realm, session.subjectId, now);
    return this.issue(session);
  }

  /** Records a fresh second-factor proof on a live login (step-up). */
  async markSecondFactor(sessionId: string): Promise<void> {
    await this.txHost.tx.update(Session, { id: sessionId }, { mfaAt: this.clock.now() });
  }

  async refresh(refreshToken: string, realm: Realm, client: ClientInfo = {}): Promise<IssuedTokens> {
    const now = this.clock.now();
    const tokenHash = hashToken(refreshToken);
    const outcome: RefreshOutcome = await this.txHost.withTransaction(async (): Promise<RefreshOutcome> => {
      const manager = this.txHost.tx;
      // The conditional UPDATE is the race arbiter: of two concurrent uses, exactly one rotates.
      const rotated = returnedRows<{ session_id: string }>(
        await manager.query(
          `UPDATE refresh_tokens t SET rotated_at = $2 FROM sessions s
           WHERE t.token_hash = $1 AND t.rotated_at IS NULL AND s.id = t.session_id AND s.realm = $3
           RETURNING t.session_id`,
          [tokenHash, now, realm],
        ),
      );
      if (!rotated.length) {
        const known = await manager.findOneBy(RefreshToken, { tokenHash });
        const inRealm = known && (await manager.existsBy(Session, { id: known.sessionId, realm }));
        return inRealm ? { reusedIn: known.sessionId } : {};
      }
      const session = await manager.findOneBy(Session, { id: rotated[0].session_id, revokedAt: IsNull() });
      if (!session) return {};
      if (this.isExpired(session, now)) return { expired: session.id };
      session.lastUsedAt = now;
      await manager.update(Session, { id: session.id }, { lastUsedAt: now });
      return { tokens: await this.issue(session) };
    });
    if (outcome.tokens) return outcome.tokens;
    if (outcome.reusedIn) {
      await this.endWithAudit(outcome.reusedIn, 'refresh_token_reused', 'session.refresh_token_reused', client);
      throw authError('refresh_token_reused');
    }
    if (outcome.expired) {
      await this.revoke(outcome.expired, 'expired');
      throw authError('session_expired');
    }
    throw authError('refresh_token_invalid');
  }

  /** The caller behind a verified access token, if its login is still live. */
  async principalFor(claims: { realm: Realm; subjectId: string; sessionId: string; scope: TokenScope }): Promise<Principal | null> {
    const session = await this.txHost.tx.findOneBy(Session, { id: claims.sessionId });
    if (!session || session.revokedAt || session.realm !== claims.realm || session.subjectId !== claims.subjectId) return null;
    if (this.isExpired(session, this.clock.now())) return null;
    return { realm: session.realm, subjectId: session.subjectId, sessionId: session.id, scope: claims.scope, mfaAt: session.mfaAt };
  }

  async list(realm: Realm, subjectId: string): Promise<Session[]> {
    const now = this.clock.now();
    const sessions = await this.txHost.tx.find(Session, {
      where: { realm, subjectId, revokedAt: IsNull() },
      order: { lastUsedAt: 'DESC' },
    });
    return sessions.filter((session) => !this.isExpired(session, now));
  }

  /** The caller ends their own login (logout), on the record. */
  async logout(sessionId: string, client: ClientInfo): Promise<void> {
    await this.endWithAudit(sessionId, 'logout', 'session.logged_out', client);
  }

  /** Revokes a login and records why, in one transaction (a stolen refresh token's reuse, a logout). */
  private async endWithAudit(sessionId: string, reason: string, type: string, client: ClientInfo): Promise<void> {
    await this.txHost.withTransaction(async () => {
      const manager = this.txHost.tx;
      const session = await manager.findOneBy(Session, { id: sessionId });
      if (!session) return;
      await this.revoke(sessionId, reason);
      const who = { type: session.realm, id: session.subjectId };
      await this.audit.record({ type, actor: who, subject: who, ip: client.ip, data: { sessionId } });
    });
  }

  async revoke(sessionId: string, reason: string): Promise<boolean> {
    const result = await this.txHost.tx.update(Session, { id: sessionId, revokedAt: IsNull() }, { revokedAt: this.clock.now(), revokedReason: reason });
    return (result.affected ?? 0) > 0;
  }

  async revokeOwn(realm: Realm, subjectId: string, sessionId: string): Promise<void> {
    const result = await this.txHost.tx.update(
      Session,
      { id: sessionId, realm, subjectId, revokedAt: IsNull() },
      { revokedAt: this.clock.now(), revokedReason: 'revoked_by_user' },
    );
    if (!result.affected) throw authError('session_not_found');
  }

  async revokeAll(realm: Realm, subjectId: string, reason: string, options: { except?: string } = {}): Promise<void> {
    await this.txHost.tx.query(
      `UPDATE sessions SET revoked_at = $3, revoked_reason = $4
       WHERE realm = $1 AND subject_id = $2 AND revoked_at IS NULL AND ($5::uuid IS NULL OR id <> $5::uuid)`,
      [realm, subjectId, this.clock.now(), reason, options.except ?? null],
    );
  }

  /** Ends every enroll-scope login of a subject but one (setup was completed elsewhere). */
  async revokeEnrollLogins(realm: Realm, subjectId: string, except: string): Promise<void> {
    await this.txHost.tx.query(
      `UPDATE sessions SET revoked_at = $3, revoked_reason = 'setup_completed'
       WHERE realm = $1 AND subject_id = $2 AND scope = 'enroll' AND revoked_at IS NULL AND id <> $4`,
      [realm, subjectId, this.clock.now(), except],
    );
  }

  /** "Last login" means a completed sign-in (both factors), not a password typed in. */
  private async recordLogin(realm: Realm, subjectId: string, at: Date): Promise<void> {
    await this.txHost.tx.query(`UPDATE ${accountTable(realm)} SET last_login_at = $2 WHERE id = $1`, [subjectId, at]);
  }

  private isExpired(session: Session, now: Date): boolean {
    const idleFor = now.getTime() - session.lastUsedAt.getTime();
    return now >= session.expiresAt || idleFor > this.config.SESSION_IDLE_SECONDS * 1000;
  }

  /** Signs the access token; a full session also gets a refresh token (stored here unless the caller already did). */
  private async issue(session: Session, storedRefreshToken?: string): Promise<IssuedTokens> {
    const accessToken = await this.tokens.sign({
      realm: session.realm,
      subjectId: session.subjectId,
      sessionId: session.id,
      scope: session.scope,
      amr: session.amr,
      authTime: session.authTime,
    });
    const base = {
      accessToken, tokenType: 'Bearer' as const, expiresIn: this.tokens.ttlSeconds, scope: session.scope,
      sessionId: session.id, realm: session.realm, subjectId: session.subjectId,
    };
    // An enroll login from the password alone gets no refresh token: it must finish setup within one
    // access token's life. One that passed a second factor may refresh, and stays enroll until setup is done.
    if (session.scope !== 'session' && !session.mfaAt) return base;
    if (storedRefreshToken) return { ...base, refreshToken: storedRefreshToken };
    const refreshToken = newRefreshToken();
    await this.txHost.tx.insert(RefreshToken, { sessionId: session.id, tokenHash: hashToken(refreshToken), createdAt: this.clock.now() });
    return { ...base, refreshToken };
  }
}

function newRefreshToken(): string {
  return `rt_${randomBytes(32).toString('base64url')}`;
}

function truncate(value: string | null | undefined, max: number): string | null {
  return value ? value.slice(0, max) : null;
}
