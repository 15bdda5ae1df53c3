import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { FactorService } from '@app/twofactor';
import { AuditService } from '../audit/audit.service';
import { SessionService } from '../auth/session.service';
import { TrustedDevices } from '../devices/trusted-devices.service';
import type { StaffActing } from '../staff/staff-actors';
import { CustomerDetail, CustomerDirectory, CustomerSortField } from './customer-directory.service';
import type { ListQuery } from '../common/list-query';
import type { Verification } from './admin.dto';

export interface SupportRequest extends StaffActing {
  reason: string;
  verification?: Verification;
}

/**
 * What an agent does for a customer who called in. Each action is audited with the agent as actor,
 * their reason and how they checked the caller's identity; the library's events notify the customer.
 */
@Injectable()
export class CustomerSupportService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly directory: CustomerDirectory,
    private readonly factors: FactorService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly devices: TrustedDevices,
  ) {}

  /** Searching customers is on the record too: which filter, which page, how many matched (not who). */
  async search(query: ListQuery<CustomerSortField>, by: StaffActing) {
    const found = await this.directory.list(query);
    await this.audit.record({
      type: 'customer.listed', actor: by.actor, subject: { type: 'customer', id: null }, ip: by.ip,
      data: { filter: query.filter, sort: query.sort, offset: query.offset, limit: query.limit, total: found.total },
    });
    return found;
  }

  /** Opening a customer's record is itself on the record. */
  async view(customerId: string, by: StaffActing): Promise<CustomerDetail> {
    const detail = await this.directory.detail(customerId);
    await this.audit.record({ type: 'customer.viewed', actor: by.actor, subject: { type: 'customer', id: customerId }, ip: by.ip });
    return detail;
  }

  /**
   * Removes one factor, even when that breaks the factor rules: the customer finishes setup at their
   * next sign-in. Removing an active factor also ends the customer's logins — support removes a
   * factor because a device was lost or taken, and a login proved with it should not outlive it.
   */
  async removeFactor(customerId: string, factorId: string, request: SupportRequest): Promise<CustomerDetail> {
    await this.directory.assertExists(customerId);
    const subject = { realm: 'customer' as const, subjectId: customerId };
    // One transaction: the removal, the end of the customer's logins and the audit stand or fall together.
    await this.txHost.withTransaction(async () => {
      // The last active factor is a whole reset, which has its own route, role and guardrails.
      const factor = await this.factors.remove(subject, factorId, { enforce: false, keepLastActive: true, ...this.change(request) });
      // Any support removal ends every remembered device: whoever holds one may be who took the factor.
      await this.devices.revokeAll(customerId, 'factor_removed_by_support', request.ip);
      if (factor.status === 'active') {
        await this.sessions.revokeAll('customer', customerId, 'factor_removed_by_support');
      } else {
        // The library audits removals of active factors only; an unfinished enrolment is recorded here.
        await this.audit.record({ ...this.event('factor.removed', customerId, request), data: { factorId, type: factor.type, role: factor.role, status: 'pending' } });
      }
      await this.recordVerification('factor.removed', customerId, request, { factorId });
    });
    return this.directory.detail(customerId);
  }

  /**
   * Every factor and recovery code gone, every login ended and every remembered device forgotten, in the
   * caller's transaction. Only an approved support reset whose delay has passed calls this (see SupportResetsService).
   */
  async applyReset(customerId: string, request: SupportRequest): Promise<void> {
    await this.factors.resetAll({ realm: 'customer', subjectId: customerId }, this.change(request));
    await this.sessions.revokeAll('customer', customerId, 'mfa_reset_by_support');
    await this.devices.revokeAll(customerId, 'mfa_reset', request.ip);
    await this.recordVerification('mfa.reset', customerId, request, {});
  }

  /** Forgets one remembered device (audited with the agent's reason; the customer is told). */
  async removeDevice(customerId: string, deviceId: string, request: SupportRequest): Promise<CustomerDetail> {
    await this.directory.assertExists(customerId);
    await this.devices.revokeBySupport(customerId, deviceId, { actor: request.actor, ip: request.ip, reason: request.reason });
    return this.directory.detail(customerId);
  }

  async unlock(customerId: string, request: SupportRequest): Promise<CustomerDetail> {
    await this.directory.assertExists(customerId);
    await this.factors.unlock({ realm: 'customer', subjectId: customerId }, this.change(request));
    return this.directory.detail(customerId);
  }

  private change(request: SupportRequest) {
    return { actor: request.actor, reason: request.reason, ip: request.ip };
  }

  /** How the agent checked the caller's identity, beside the library's own event of the change. */
  private async recordVerification(action: string, customerId: string, request: SupportRequest, data: Record<string, unknown>) {
    if (!request.verification) return;
    await this.audit.record({ ...this.event('support.identity_verified', customerId, request), data: { action, verification: request.verification, ...data } });
  }

  private event(type: string, customerId: string, request: SupportRequest) {
    return { type, actor: request.actor, subject: { type: 'customer' as const, id: customerId }, ip: request.ip, reason: request.reason };
  }
}
