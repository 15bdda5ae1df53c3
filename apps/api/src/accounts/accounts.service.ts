import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ChallengeService, ClientContext, Clock, returnedRows } from '@app/twofactor';
import { QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { SessionService } from '../auth/session.service';
import { NoticeMailer } from '../notifications/notice-mailer';
import { authError } from '../auth/auth.errors';
import { PasswordThrottle } from '../auth/password-throttle';
import { TrustedDevices } from '../devices/trusted-devices.service';
import { Customer } from './customer.entity';
import { PasswordHasher } from '../passwords/password-hasher';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** Customer accounts: registration, password checks and changes. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly passwords: PasswordHasher,
    private readonly throttle: PasswordThrottle,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly notices: NoticeMailer,
    private readonly devices: TrustedDevices,
    private readonly challenges: ChallengeService,
    private readonly clock: Clock,
  ) {}

  async register(email: string, password: string): Promise<Customer> {
    const now = this.clock.now();
    const customer = this.txHost.tx.create(Customer, {
      email: normaliseEmail(email), passwordHash: await this.passwords.hash(password), createdAt: now, passwordChangedAt: now,
    });
    try {
      return await this.txHost.tx.save(customer);
    } catch (error) {
      // The unique index settles concurrent registrations of the same address.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23505') throw authError('email_taken');
      throw error;
    }
  }

  /**
   * The customer if the password is right; the same cost and the same answer for every failure.
   * Guessing one account from many IPs is throttled per email (PasswordThrottle).
   */
  async authenticate(email: string, password: string, client: ClientContext & { deviceToken?: string } = {}): Promise<Customer> {
    const normalised = normaliseEmail(email);
    const customer = await this.txHost.tx.findOneBy(Customer, { email: normalised });
    // The customer's own remembered browser is never made to wait by strangers' guesses (asked with a
    // nil id for an unknown email, so a sent device token costs the same either way).
    const trustedDevice = client.deviceToken !== undefined && (await this.devices.isLive(customer?.id ?? NIL_UUID, client.deviceToken));
    await this.throttle.takeTry('customer', normalised, customer?.id ?? null, { ip: client.ip, trustedDevice });
    const ok = await this.passwords.verify(customer?.passwordHash ?? null, password);
    if (!customer || !ok) {
      await this.throttle.recordFailure('customer', customer?.id ?? null, client.ip);
      throw authError('invalid_credentials');
    }
    await this.throttle.clear('customer', normalised);
    return customer;
  }

  async find(id: string): Promise<Customer | null> {
    return this.txHost.tx.findOneBy(Customer, { id });
  }

  /**
   * The account with this login email, its row locked until the caller's transaction ends (so two
   * password-reset requests for one account queue, and exactly one reset token stays live), or null.
   */
  async lockByEmail(email: string): Promise<{ id: string; email: string } | null> {
    const [customer] = returnedRows<{ id: string; email: string }>(
      await this.txHost.tx.query(`SELECT id, email FROM customers WHERE email = $1 FOR UPDATE`, [normaliseEmail(email)]),
    );
    return customer ?? null;
  }

  /** A new password hash, in the caller's transaction (a password reset's); answers the account's email. */
  async replacePasswordHash(id: string, passwordHash: string, at: Date): Promise<string> {
    const [customer] = returnedRows<{ email: string }>(
      await this.txHost.tx.query(`UPDATE customers SET password_hash = $2, password_changed_at = $3 WHERE id = $1 RETURNING email`, [id, passwordHash, at]),
    );
    return customer.email;
  }

  /**
   * One transaction: the new password, the end of every other login, of every pending sign-in and of
   * every remembered device, the audit event; the notice is an outbox row of it, sent once it has
   * committed. A failure anywhere leaves the old password and the logins as they were.
   */
  async changePassword(id: string, currentPassword: string, newPassword: string, by: { sessionId: string; ip?: string | null }): Promise<void> {
    const customer = await this.txHost.tx.findOneByOrFail(Customer, { id });
    if (!(await this.passwords.verify(customer.passwordHash, currentPassword))) throw authError('invalid_credentials');
    const passwordHash = await this.passwords.hash(newPassword);
    await this.txHost.withTransaction(async () => {
      const manager = this.txHost.tx;
      await manager.update(Customer, { id }, { passwordHash, passwordChangedAt: this.clock.now() });
      await this.sessions.revokeAll('customer', id, 'password_changed', { except: by.sessionId });
      // A sign-in half-way through with the old password ends too (as does any pending step-up).
      await this.challenges.endPending('customer', id);
      await this.devices.revokeAll(id, 'password_changed', by.ip ?? null);
      await this.audit.record({ type: 'password.changed', actor: { type: 'customer', id }, subject: { type: 'customer', id }, ip: by.ip });
      await this.notices.notify(customer.email, 'The password of your account was changed', ['Every other sign-in to your account and every remembered device were signed out.'], {
        about: { realm: 'customer', subjectId: id },
      });
    });
  }
}
