import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ChallengeService, ClientContext, Clock } from '@app/twofactor';
import { QueryFailedError } from 'typeorm';
import { normaliseEmail } from '../accounts/accounts.service';
import { PasswordHasher } from '../passwords/password-hasher';
import { AuditInput, AuditService } from '../audit/audit.service';
import { authError } from '../auth/auth.errors';
import { SessionService } from '../auth/session.service';
import { PasswordThrottle } from '../auth/password-throttle';
import { containsPattern, ListQuery, ListSpec } from '../common/list-query';
import { generateSetupPassword } from './setup-password';
import { Staff, STAFF_ROLE_NAMES, StaffRecord, staffRecord, StaffRole } from './staff.entity';
import { staffError } from './staff.errors';

export type StaffSortField = 'id' | 'email' | 'name' | 'role' | 'createdAt' | 'lastLoginAt';

export const STAFF_LIST: ListSpec<StaffSortField> = {
  sortFields: ['id', 'email', 'name', 'role', 'createdAt', 'lastLoginAt'],
  defaultSort: ['email', 'ASC'],
  filters: { q: 'string', id: 'ids', role: STAFF_ROLE_NAMES, disabled: 'boolean' },
};

/** A generated setup password is for the first sign-in: after a day it no longer opens the account. */
export const SETUP_PASSWORD_TTL_SECONDS = 24 * 3600;

const COLUMNS: Record<StaffSortField, string> = {
  id: 's.id', email: 's.email', name: 's.name', role: 's.role', createdAt: 's.createdAt', lastLoginAt: 's.lastLoginAt',
};

/** Who does something to a staff account: another member of staff, or the command line. */
export interface StaffActor {
  actor: AuditInput['actor'];
  ip?: string | null;
}

export interface NewStaff {
  email: string;
  name: string;
  role: StaffRole;
}

export interface StaffChanges {
  email?: string;
  name?: string;
  role?: StaffRole;
  disabled?: boolean;
}

/** Back-office accounts: creation with a one-time setup password, sign-in, changes, password. */
@Injectable()
export class StaffService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly challenges: ChallengeService,
    private readonly throttle: PasswordThrottle,
    private readonly clock: Clock,
  ) {}

  /** A new account with a generated password, shown to the creator once; the first login enrols TOTP. */
  async create(input: NewStaff, by: StaffActor): Promise<StaffRecord & { setupPassword: string }> {
    const setupPassword = generateSetupPassword();
    const passwordHash = await this.passwords.hash(setupPassword);
    const now = this.clock.now();
    const staff = await this.unique(() =>
      this.txHost.withTransaction(async () => {
        const manager = this.txHost.tx;
        const created = await manager.save(
          manager.create(Staff, { email: normaliseEmail(input.email), name: input.name.trim(), role: input.role, passwordHash, createdAt: now, passwordChangedAt: now }),
        );
        await this.record('staff.created', created, by, { role: created.role });
        return created;
      }),
    );
    return { ...staffRecord(staff), setupPassword };
  }

  /** The member of staff if the password is right and the account enabled; one answer for every failure. */
  async authenticate(email: string, password: string, client: ClientContext = {}): Promise<Staff> {
    const normalised = normaliseEmail(email);
    const staff = await this.txHost.tx.findOneBy(Staff, { email: normalised });
    await this.throttle.takeTry('staff', normalised, staff?.id ?? null, client);
    const ok = await this.passwords.verify(staff?.passwordHash ?? null, password);
    if (!staff || !ok || staff.disabled) {
      await this.throttle.recordFailure('staff', staff?.id ?? null, client.ip);
      throw authError('invalid_credentials');
    }
    await this.throttle.clear('staff', normalised);
    // Said only after the right password, so it tells a stranger nothing about which emails exist.
    if (staff.setupPassword && this.clock.now().getTime() - staff.passwordChangedAt.getTime() >= SETUP_PASSWORD_TTL_SECONDS * 1000) {
      throw staffError('setup_password_expired');
    }
    return staff;
  }

  /**
   * A new one-time setup password for a member of staff (the old one expired or was lost): their
   * logins end, and their next sign-in must replace it. Factors are kept: they still pass their TOTP.
   */
  async reissueSetupPassword(id: string, by: StaffActor): Promise<StaffRecord & { setupPassword: string }> {
    const setupPassword = generateSetupPassword();
    const passwordHash = await this.passwords.hash(setupPassword);
    const staff = await this.txHost.withTransaction(async () => {
      const manager = this.txHost.tx;
      const found = await manager.findOneBy(Staff, { id });
      if (!found) throw staffError('staff_not_found');
      await manager.update(Staff, { id }, { passwordHash, passwordChangedAt: this.clock.now(), setupPassword: true });
      await this.sessions.revokeAll('staff', id, 'setup_password_reissued');
      await this.record('staff.setup_password_reissued', found, by, {});
      return found;
    });
    return { ...staffRecord(staff), setupPassword };
  }

  /** An enabled member of staff's role, and whether they still use the setup password (undefined when disabled or gone). */
  async access(id: string): Promise<{ role: StaffRole; setupPassword: boolean } | undefined> {
    const staff = await this.txHost.tx.findOne(Staff, { where: { id, disabled: false }, select: { role: true, setupPassword: true } });
    return staff ? { role: staff.role, setupPassword: staff.setupPassword } : undefined;
  }

  /** Whether this member of staff still signs in with the generated setup password. */
  async usesSetupPassword(id: string): Promise<boolean> {
    return (await this.txHost.tx.findOneByOrFail(Staff, { id })).setupPassword;
  }

  async get(id: string): Promise<StaffRecord> {
    const staff = await this.txHost.tx.findOneBy(Staff, { id });
    if (!staff) throw staffError('staff_not_found');
    return staffRecord(staff);
  }

  async list(query: ListQuery<StaffSortField>): Promise<{ rows: StaffRecord[]; total: number }> {
    const qb = this.txHost.tx.createQueryBuilder(Staff, 's');
    const { q, id, role, disabled } = query.filter;
    if (typeof q === 'string' && q.trim()) {
      qb.andWhere('(lower(s.email) LIKE :q OR lower(s.name) LIKE :q)', { q: containsPattern(q.trim().toLowerCase()) });
    }
    if (Array.isArray(id)) qb.andWhere('s.id IN (:...ids)', { ids: id });
    if (typeof role === 'string') qb.andWhere('s.role = :role', { role });
    if (typeof disabled === 'boolean') qb.andWhere('s.disabled = :disabled', { disabled });
    qb.orderBy(COLUMNS[query.sort.field], query.sort.order).addOrderBy('s.id', query.sort.order).skip(query.offset).take(query.limit);
    const [rows, total] = await qb.getManyAndCount();
    return { rows: rows.map(staffRecord), total };
  }

  /**
   * Name, email, role, enabled. An admin cannot disable or demote themself (the last admin would
   * lock everyone out); disabling ends every login of that member of staff at once.
   */
  async update(id: string, changes: StaffChanges, by: StaffActor & { actor: { id: string | null } }): Promise<StaffRecord> {
    const updated = await this.unique(() =>
      this.txHost.withTransaction(async () => {
        const manager = this.txHost.tx;
        const staff = await manager.findOneBy(Staff, { id });
        if (!staff) throw staffError('staff_not_found');
        const self = by.actor.id === id;
        if (self && (changes.disabled === true || (changes.role !== undefined && changes.role !== staff.role))) {
          throw staffError('cannot_change_own_access');
        }
        const before = { email: staff.email, name: staff.name, role: staff.role, disabled: staff.disabled };
        if (changes.email !== undefined) staff.email = normaliseEmail(changes.email);
        if (changes.name !== undefined) staff.name = changes.name.trim();
        if (changes.role !== undefined) staff.role = changes.role;
        if (changes.disabled !== undefined) staff.disabled = changes.disabled;
        const diff = Object.fromEntries(
          (Object.keys(before) as (keyof typeof before)[]).filter((key) => before[key] !== staff[key]).map((key) => [key, { from: before[key], to: staff[key] }]),
        );
        if (!Object.keys(diff).length) return staff;
        await manager.save(staff);
        if (changes.disabled === true && before.disabled === false) {
          // A sign-in started before the account was disabled must not finish after it.
          await this.challenges.cancelOpen('staff', id);
          await this.sessions.revokeAll('staff', id, 'staff_disabled');
        }
        await this.record('staff.updated', staff, by, { changes: diff });
        return staff;
      }),
    );
    return staffRecord(updated);
  }

  /** Checks the current password; every other login of this member of staff is then ended. */
  async changePassword(id: string, currentPassword: string, newPassword: string, by: StaffActor & { sessionId: string }): Promise<void> {
    const staff = await this.txHost.tx.findOneByOrFail(Staff, { id });
    if (!(await this.passwords.verify(staff.passwordHash, currentPassword))) throw authError('invalid_credentials');
    const passwordHash = await this.passwords.hash(newPassword);
    await this.txHost.withTransaction(async () => {
      const manager = this.txHost.tx;
      await manager.update(Staff, { id }, { passwordHash, passwordChangedAt: this.clock.now(), setupPassword: false });
      await this.sessions.revokeAll('staff', id, 'password_changed', { except: by.sessionId });
      await this.record('staff.password_changed', staff, by, {});
    });
  }

  async count(): Promise<number> {
    return this.txHost.tx.count(Staff);
  }

  private record(type: string, staff: Staff, by: StaffActor, data: Record<string, unknown>) {
    return this.audit.record({ type, actor: by.actor, subject: { type: 'staff', id: staff.id }, ip: by.ip, data: { email: staff.email, ...data } });
  }

  /** The unique index settles two accounts racing for one email. */
  private async unique<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23505') throw staffError('staff_email_taken');
      throw error;
    }
  }
}
