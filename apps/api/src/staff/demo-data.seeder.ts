import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, FactorEntity, FactorService, TotpAlgorithm } from '@app/twofactor';
import { DataSource } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { Customer } from '../accounts/customer.entity';
import { AppConfig } from '../config/app.config';
import { generateSetupPassword } from './setup-password';
import { StaffService } from './staff.service';

export const DEMO_ADMIN_EMAIL = 'admin@twofold.local';
export const DEMO_PATIENT_EMAIL = 'demo.patient@twofold.local';
export const DEMO_NEWCOMER_EMAIL = 'demo.newcomer@twofold.local';

let demoDataSkipped = false;

/** For one-shot processes (the CLI): its own logs are off, so passwords it created would be lost. */
export function skipDemoData(): void {
  demoDataSkipped = true;
}

/**
 * A newcomer's first `npm start` (embedded database, development) gets a demo admin and two demo
 * customers, so the back office has someone to sign in as and something to look at. The passwords
 * are printed once, on the run that creates them; they exist nowhere else.
 */
@Injectable()
export class DemoDataSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoData');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly staff: StaffService,
    private readonly accounts: AccountsService,
    private readonly factors: FactorService,
    private readonly totp: TotpAlgorithm,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (demoDataSkipped || this.config.DATABASE_URL || this.config.NODE_ENV !== 'development') return;
    if ((await this.staff.count()) > 0) return;
    const admin = await this.staff.create({ email: DEMO_ADMIN_EMAIL, name: 'Demo Admin', role: 'admin' }, { actor: { type: 'system', id: null } });
    const customers = await this.seedCustomers();
    this.logger.log(
      [
        'Demo data created (development, embedded database). These passwords are shown this once:',
        `  back office (/admin): ${admin.email} / ${admin.setupPassword} (enrol an authenticator app at first sign-in)`,
        ...customers.map((c) => `  customer: ${c.email} / ${c.password} (${c.note})`),
      ].join('\n'),
    );
  }

  private async seedCustomers(): Promise<{ email: string; password: string; note: string }[]> {
    const created: { email: string; password: string; note: string }[] = [];
    if (!(await this.db.manager.existsBy(Customer, { email: DEMO_PATIENT_EMAIL }))) {
      const password = generateSetupPassword();
      const patient = await this.accounts.register(DEMO_PATIENT_EMAIL, password);
      const subject = { realm: 'customer' as const, subjectId: patient.id };
      // TOTP primary through the library, as a customer would; the secret is thrown away, so only
      // a support reset (or a recovery code nobody has) gets this customer back in.
      const enrolled = await this.factors.enrol(subject, { type: 'totp', role: 'primary', email: patient.email }, { recentSecondFactor: false });
      const code = await this.totp.generate(String(enrolled.secret), this.clock.now());
      await this.factors.confirm(subject, enrolled.factor.id, { code }, { recentSecondFactor: false });
      const now = this.clock.now();
      await this.db.manager.insert(FactorEntity, {
        ...subject, type: 'email', role: 'secondary', status: 'active', destination: patient.email, createdAt: now, verifiedAt: now, lastUsedAt: null,
      });
      created.push({ email: DEMO_PATIENT_EMAIL, password, note: 'authenticator app + email backup: reset a factor from the back office' });
    }
    if (!(await this.db.manager.existsBy(Customer, { email: DEMO_NEWCOMER_EMAIL }))) {
      const password = generateSetupPassword();
      await this.accounts.register(DEMO_NEWCOMER_EMAIL, password);
      created.push({ email: DEMO_NEWCOMER_EMAIL, password, note: 'no factors yet: the next sign-in sets them up' });
    }
    return created;
  }
}
