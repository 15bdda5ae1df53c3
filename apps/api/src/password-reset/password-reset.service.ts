import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ChallengeAnswer, ChallengeService, ClientContext, Clock, FactorService, LoginChallenge, RandomSource, returnedRows, TwoFactorError, usableFor, VerifiedSignIn } from '@app/twofactor';
import { AccountsService } from '../accounts/accounts.service';
import { PasswordHasher } from '../passwords/password-hasher';
import { AuditService } from '../audit/audit.service';
import { CustomerVerifyDto } from '../auth/auth.dto';
import { PasswordThrottle } from '../auth/password-throttle';
import { SessionService } from '../auth/session.service';
import { hashToken } from '../common/token-hash';
import { SignInService, TokenPair } from '../auth/sign-in.service';
import { ApiError } from '../common/api-error';
import { COMMON_ERRORS } from '../common/common.errors';
import { withMinimumDuration } from '../common/minimum-duration';
import { AppConfig } from '../config/app.config';
import { TrustedDevices } from '../devices/trusted-devices.service';
import { NoticeMailer } from '../notifications/notice-mailer';
import { passwordResetError } from './password-reset.errors';
import { PasswordResetToken } from './password-reset-token.entity';

// Matches no customer: an unknown address runs the same statements as a known one (see forgot).
const NOBODY = '00000000-0000-0000-0000-000000000000';

// Reset emails per account per hour: the per-IP limit alone lets many addresses flood one inbox.
export const RESET_EMAILS_PER_HOUR = 5;

// Every forgot answer takes at least this long: a known address's extra writes (a token row, a retired
// one) cost a few milliseconds that a patient attacker could measure; under the floor they do not show.
export const FORGOT_MIN_MS = 250;

export type ResetChallenge = { status: 'mfa_required' } & LoginChallenge;

/**
 * A forgotten password, reset with the email inbox (the token) AND a second factor that is not email:
 * a stolen mailbox alone never resets a password. The new password, the spent token, the end of every
 * other login and remembered device, the audit event and the notice commit with the code check, or none does.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly config: AppConfig,
    private readonly accounts: AccountsService,
    private readonly challenges: ChallengeService,
    private readonly factors: FactorService,
    private readonly signIn: SignInService,
    private readonly sessions: SessionService,
    private readonly devices: TrustedDevices,
    private readonly throttle: PasswordThrottle,
    private readonly passwords: PasswordHasher,
    private readonly audit: AuditService,
    private readonly notices: NoticeMailer,
    private readonly random: RandomSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Known or not, an address gets the same answer after the same work: a token is drawn, the same
   * statements run and an audit event is written; only the token row and the email (queued after the
   * answer, never awaited) are skipped for an unknown one; and the answer waits out FORGOT_MIN_MS.
   */
  forgot(email: string, client: ClientContext): Promise<void> {
    return withMinimumDuration(FORGOT_MIN_MS, () => this.issueToken(email, client));
  }

  private async issueToken(email: string, client: ClientContext): Promise<void> {
    const now = this.clock.now();
    const token = `prt_${this.random.bytes(32).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + this.config.PASSWORD_RESET_TTL_SECONDS * 1000);
    await this.txHost.withTransaction(async () => {
      const manager = this.txHost.tx;
      // Locked: two requests at once for one account queue here, so exactly one token stays live.
      const customer = await this.accounts.lockByEmail(email);
      const [{ sent }] = returnedRows<{ sent: number }>(
        await manager.query(`SELECT count(*)::int AS sent FROM password_reset_tokens WHERE customer_id = $1 AND created_at > $2`, [
          customer?.id ?? NOBODY, new Date(now.getTime() - 3600_000),
        ]),
      );
      // Over the cap nothing changes (the latest token stays live) and nothing is sent; the answer is the same.
      const capped = sent >= RESET_EMAILS_PER_HOUR;
      // A new request kills the previous token.
      await manager.query(
        `UPDATE password_reset_tokens SET revoked_at = $2 WHERE customer_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND NOT $3`,
        [customer?.id ?? NOBODY, now, capped],
      );
      await this.audit.record(
        {
          type: 'password_reset.requested',
          actor: { type: 'customer', id: customer?.id ?? null },
          subject: { type: 'customer', id: customer?.id ?? null },
          ip: client.ip,
          // An unknown address is not stored: it may be anyone's, typed by anyone.
          data: { known: Boolean(customer), ...(capped ? { capped } : {}) },
        },
      );
      if (!customer || capped) return;
      await manager.insert(PasswordResetToken, {
        customerId: customer.id, tokenHash: hashToken(token), createdAt: now, expiresAt, usedAt: null, revokedAt: null, ip: client.ip?.slice(0, 64) ?? null,
      });
      // An outbox row of this transaction: the worker sends it, so a slow mail provider never makes a known address answer later.
      await this.notices.sendPasswordReset(customer.email, token, expiresAt, { about: { realm: 'customer', subjectId: customer.id } });
    });
  }

  /** A live token starts the second step, with only the factors that are not email. */
  async start(resetToken: string, client: ClientContext): Promise<ResetChallenge> {
    const token = await this.liveToken(resetToken);
    const subject = { realm: 'customer' as const, subjectId: token.customerId };
    const { factors, recoveryCodes } = await this.factors.overview(subject);
    // No factor but email and no recovery code: nothing could prove it is the customer beyond the inbox,
    // which is exactly what a mailbox thief has. Support (identity checks, audited) is the way back in.
    if (!factors.some((factor) => factor.status === 'active' && usableFor('password_reset', factor.type)) && recoveryCodes.remaining === 0) {
      throw passwordResetError('reset_unavailable');
    }
    const challenge = await this.challenges.begin('customer', token.customerId, client, { purpose: 'password_reset', resetTokenId: token.id });
    return { status: 'mfa_required', ...challenge };
  }

  /**
   * The customer's /auth/mfa/verify. A misplaced newPassword is refused with nothing spent: a reset needs
   * one, a sign-in never takes one. A sign-in (the hot path) reads its token once, in the sign-in itself:
   * a reset's token is refused there before any answer is looked at, and only then is its purpose asked.
   */
  async answer(body: CustomerVerifyDto, client: ClientContext): Promise<TokenPair> {
    const answer = body.toAnswer();
    if (body.newPassword === undefined) {
      try {
        return await this.signIn.verify('customer', body.mfaToken, answer, client, { rememberDevice: body.rememberDevice === true });
      } catch (error) {
        const refused = error instanceof TwoFactorError && error.code === 'mfa_token_invalid';
        if (refused && (await this.challenges.purposeOf('customer', body.mfaToken)) === 'password_reset') {
          throw invalidField('newPassword', 'newPassword is required to finish a password reset');
        }
        throw error;
      }
    }
    const purpose = await this.challenges.purposeOf('customer', body.mfaToken);
    if (purpose === 'password_reset') return this.complete(body.mfaToken, answer, body.newPassword, client, body.rememberDevice === true);
    // A dead or unknown token goes on to its usual mfa_token_invalid, not a complaint about the password.
    if (purpose !== null) throw invalidField('newPassword', 'newPassword is accepted only with the mfaToken of a password reset');
    return this.signIn.verify('customer', body.mfaToken, answer, client, { rememberDevice: body.rememberDevice === true });
  }

  private async complete(mfaToken: string, answer: ChallengeAnswer, newPassword: string, client: ClientContext, rememberDevice: boolean): Promise<TokenPair> {
    // Hashed before the transaction: argon2 takes tens of milliseconds, too long to hold the account's locks.
    const passwordHash = await this.passwords.hash(newPassword);
    return this.signIn.verify('customer', mfaToken, answer, client, {
      scope: { purpose: 'password_reset' },
      rememberDevice,
      beforeSession: (proof) => this.applyReset(proof, passwordHash, client),
    });
  }

  /** Runs in the transaction that accepted the code; throwing undoes it all, the code's use included. */
  private async applyReset(proof: VerifiedSignIn, passwordHash: string, client: ClientContext): Promise<void> {
    const now = this.clock.now();
    const customerId = proof.subjectId;
    // The race arbiter: of two resets of one token at once, one spends it; the other rolls back.
    const spent = returnedRows(
      await this.txHost.tx.query(
        `UPDATE password_reset_tokens SET used_at = $3
         WHERE id = $1 AND customer_id = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $3 RETURNING id`,
        [proof.resetTokenId, customerId, now],
      ),
    );
    if (!spent.length) throw passwordResetError('reset_token_invalid');
    const email = await this.accounts.replacePasswordHash(customerId, passwordHash, now);
    // The new password proves the account is its owner's again: a run of failed guesses is over.
    await this.throttle.clear('customer', email);
    // Whoever knew the old password or held a session or device is out; the reset's own session starts after this.
    await this.sessions.revokeAll('customer', customerId, 'password_reset');
    await this.challenges.endPending('customer', customerId);
    await this.devices.revokeAll(customerId, 'password_reset', client.ip ?? null);
    await this.audit.record(
      { type: 'password.reset', actor: { type: 'customer', id: customerId }, subject: { type: 'customer', id: customerId }, ip: client.ip, data: { method: proof.method } },
    );
    await this.notices.sendAccountNotice(email, { type: 'password.reset' }, { about: { realm: 'customer', subjectId: customerId } });
  }

  private async liveToken(resetToken: string): Promise<PasswordResetToken> {
    const token = await this.txHost.tx.findOneBy(PasswordResetToken, { tokenHash: hashToken(resetToken) });
    if (!token || token.usedAt || token.revokedAt || token.expiresAt <= this.clock.now()) throw passwordResetError('reset_token_invalid');
    return token;
  }
}

function invalidField(field: string, message: string): ApiError {
  return new ApiError(400, 'validation_failed', COMMON_ERRORS.validation_failed.message, { errors: [{ field, message }] });
}
