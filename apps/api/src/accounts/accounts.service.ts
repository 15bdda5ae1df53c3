import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock } from '@app/twofactor';
import { DataSource, QueryFailedError } from 'typeorm';
import { authError } from '../auth/auth.errors';
import { Customer } from './customer.entity';
import { PasswordHasher } from './passwords/password-hasher';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Customer accounts: registration, password checks and changes. */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly passwords: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async register(email: string, password: string): Promise<Customer> {
    const now = this.clock.now();
    const customer = this.db.manager.create(Customer, {
      email: normaliseEmail(email), passwordHash: await this.passwords.hash(password), createdAt: now, passwordChangedAt: now,
    });
    try {
      return await this.db.manager.save(customer);
    } catch (error) {
      // The unique index settles concurrent registrations of the same address.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23505') throw authError('email_taken');
      throw error;
    }
  }

  /** The customer if the password is right; the same cost and the same answer for every failure. */
  async authenticate(email: string, password: string): Promise<Customer> {
    const customer = await this.db.manager.findOneBy(Customer, { email: normaliseEmail(email) });
    const ok = await this.passwords.verify(customer?.passwordHash ?? null, password);
    if (!customer || !ok) throw authError('invalid_credentials');
    return customer;
  }

  async find(id: string): Promise<Customer | null> {
    return this.db.manager.findOneBy(Customer, { id });
  }

  async changePassword(id: string, currentPassword: string, newPassword: string): Promise<void> {
    const customer = await this.db.manager.findOneByOrFail(Customer, { id });
    if (!(await this.passwords.verify(customer.passwordHash, currentPassword))) throw authError('invalid_credentials');
    await this.db.manager.update(Customer, { id }, { passwordHash: await this.passwords.hash(newPassword), passwordChangedAt: this.clock.now() });
  }
}
