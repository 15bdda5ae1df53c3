import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClientContext, Clock, RandomSource, returnedRows } from '@app/twofactor';
import { IsNull, MoreThan } from 'typeorm';
import { AuditInput, AuditService } from '../audit/audit.service';
import { hashToken } from '../common/token-hash';
import { AppConfig } from '../config/app.config';
import { NoticeMailer } from '../notifications/notice-mailer';
import { SubjectEmails } from '../notifications/subject-emails';
import { deviceLabel } from './device-label';
import { deviceError } from './devices.errors';
import { TrustedDevice } from './trusted-device.entity';

const DAY_MS = 24 * 3600_000;

export interface TrustedDeviceView {
  id: string;
  label: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  ip: string | null;
}

/** Who removes a device, when it is not the customer: a member of staff, with a reason. */
export interface DeviceRemoval {
  actor: AuditInput['actor'];
  ip: string | null;
  reason?: string;
}

/** Why every device of an account goes at once (stored with each device, and audited). */
export type RevokeAllReason = 'password_changed' | 'password_reset' | 'factor_removed_by_support' | 'mfa_reset' | 'mfa_locked';

/**
 * "Remember this device": an opaque token (256 bits, kept only as its SHA-256) that lets a customer's
 * browser skip the second factor, never the password, until it expires or is revoked. Anything that
 * changes how the account is protected revokes all of them (revokeAll), in the transaction of that change.
 */
@Injectable()
export class TrustedDevices {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly emails: SubjectEmails,
    private readonly notices: NoticeMailer,
    private readonly random: RandomSource,
    private readonly clock: Clock,
  ) {}

  /** Remembers the browser behind a sign-in that just passed a second factor; its token is returned once. */
  async trust(customerId: string, client: ClientContext): Promise<string> {
    const now = this.clock.now();
    const token = `dvt_${this.random.bytes(32).toString('base64url')}`;
    const label = deviceLabel(client.userAgent);
    const device = this.txHost.tx.create(TrustedDevice, {
      customerId, tokenHash: hashToken(token), label, userAgent: client.userAgent?.slice(0, 512) ?? null, ip: client.ip?.slice(0, 64) ?? null,
      createdAt: now, lastUsedAt: now, expiresAt: new Date(now.getTime() + this.config.TRUSTED_DEVICE_DAYS * DAY_MS), revokedAt: null, revokedReason: null,
    });
    await this.txHost.tx.insert(TrustedDevice, device);
    await this.audit.record({ ...this.event('device.trusted', customerId, { type: 'customer', id: customerId }, client.ip), data: { deviceId: device.id, label } });
    await this.notify(customerId, { type: 'device.trusted', label, ip: device.ip });
    return token;
  }

  /**
   * The live device a token names for this customer, marked as used; null for anything else (unknown,
   * another account's, expired, revoked), which the caller treats as if no token had been sent.
   */
  async use(customerId: string, token: string, client: ClientContext): Promise<{ id: string; label: string } | null> {
    const now = this.clock.now();
    const [device] = returnedRows<{ id: string; label: string }>(
      await this.txHost.tx.query(
        `UPDATE trusted_devices SET last_used_at = $3, ip = COALESCE($4, ip)
         WHERE token_hash = $1 AND customer_id = $2 AND revoked_at IS NULL AND expires_at > $3
         RETURNING id, label`,
        [hashToken(token), customerId, now, client.ip?.slice(0, 64) ?? null],
      ),
    );
    return device ?? null;
  }

  /** Whether a token names a live device of this customer (nothing is marked used). */
  async isLive(customerId: string, token: string): Promise<boolean> {
    const rows = returnedRows(
      await this.txHost.tx.query(
        `SELECT 1 FROM trusted_devices WHERE token_hash = $1 AND customer_id = $2 AND revoked_at IS NULL AND expires_at > $3`,
        [hashToken(token), customerId, this.clock.now()],
      ),
    );
    return rows.length > 0;
  }

  async list(customerId: string): Promise<TrustedDeviceView[]> {
    const devices = await this.txHost.tx.find(TrustedDevice, {
      where: { customerId, revokedAt: IsNull(), expiresAt: MoreThan(this.clock.now()) },
      order: { lastUsedAt: 'DESC' },
    });
    return devices.map(({ id, label, createdAt, lastUsedAt, expiresAt, ip }) => ({ id, label, createdAt, lastUsedAt, expiresAt, ip }));
  }

  /** The customer forgets one of their own devices; another account's device is not found. */
  async revokeOwn(customerId: string, deviceId: string, client: ClientContext): Promise<void> {
    await this.txHost.withTransaction(async () => {
      const device = await this.revokeOne(customerId, deviceId, 'revoked_by_customer');
      await this.audit.record({ ...this.event('device.revoked', customerId, { type: 'customer', id: customerId }, client.ip), data: { deviceId, label: device.label } });
    });
  }

  /** Support removes a device for a customer (audited with the agent and reason; the customer is told). */
  async revokeBySupport(customerId: string, deviceId: string, removal: DeviceRemoval): Promise<void> {
    await this.txHost.withTransaction(async () => {
      const device = await this.revokeOne(customerId, deviceId, 'revoked_by_support');
      await this.audit.record(
        { ...this.event('device.revoked', customerId, removal.actor, removal.ip), reason: removal.reason, data: { deviceId, label: device.label } },
      );
      await this.notify(customerId, { type: 'device.revoked', label: device.label, byStaff: true });
    });
  }

  /** Every device of the account, in the transaction of the change that calls for it (or one of its own). */
  async revokeAll(customerId: string, reason: RevokeAllReason, ip: string | null = null): Promise<number> {
    return this.txHost.withTransaction(async () => {
      const revoked = returnedRows(
        await this.txHost.tx.query(
          `UPDATE trusted_devices SET revoked_at = $2, revoked_reason = $3 WHERE customer_id = $1 AND revoked_at IS NULL RETURNING id`,
          [customerId, this.clock.now(), reason],
        ),
      );
      if (revoked.length) {
        await this.audit.record({ ...this.event('devices.revoked', customerId, { type: 'system', id: null }, ip), data: { reason, count: revoked.length } });
      }
      return revoked.length;
    });
  }

  private async revokeOne(customerId: string, deviceId: string, reason: string): Promise<{ label: string }> {
    const [device] = returnedRows<{ label: string }>(
      await this.txHost.tx.query(
        `UPDATE trusted_devices SET revoked_at = $3, revoked_reason = $4
         WHERE id = $1 AND customer_id = $2 AND revoked_at IS NULL AND expires_at > $3 RETURNING label`,
        [deviceId, customerId, this.clock.now(), reason],
      ),
    );
    if (!device) throw deviceError('device_not_found');
    return device;
  }

  private async notify(customerId: string, notice: Parameters<NoticeMailer['sendAccountNotice']>[1]): Promise<void> {
    const email = await this.emails.emailOf('customer', customerId);
    if (email) await this.notices.sendAccountNotice(email, notice, { about: { realm: 'customer', subjectId: customerId } });
  }

  private event(type: string, customerId: string, actor: AuditInput['actor'], ip: string | null | undefined) {
    return { type, actor, subject: { type: 'customer' as const, id: customerId }, ip: ip ?? null };
  }
}
