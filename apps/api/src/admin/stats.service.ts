import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, FactorRegistry, FactorService } from '@app/twofactor';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app.config';
import { STATUS_AT as RESET_STATUS_AT } from '../resets/support-resets.service';
import { AT_RISK } from './customer-directory.service';

export interface DailyStats {
  date: string;
  mfaSuccess: number;
  mfaFailure: number;
  smsSent: number;
  smsFailed: number;
  emailSent: number;
  emailFailed: number;
}

export interface Stats {
  customers: { total: number; complete: number; missingSecondary: number; withoutFactors: number; locked: number };
  /** Active factors by role and type: every registered type that may hold the role (totp, sms, email… as keys). */
  factors: { primary: Record<string, number>; secondary: Record<string, number> };
  recoveryCodesLow: number;
  last24h: { mfaSuccess: number; mfaFailure: number; deliveries: { sms: { sent: number; failed: number }; email: { sent: number; failed: number } } };
  daily: DailyStats[];
  /** Customers one failure away from a lockout (see AT_RISK). */
  atRisk: number;
  /** Active SMS and email factors whose deliveries fail, by the provider that carries them. */
  failingChannels: { channel: 'sms' | 'email'; provider: string; count: number }[];
  /** Whole-reset requests by state. */
  resets: Record<'awaiting_approval' | 'scheduled' | 'executed' | 'cancelled' | 'expired', number>;
}

const DAYS = 30;
const DAY_MS = 86_400_000;
// Provider statuses that mean the message did not get through; everything else counts as sent.
const FAILED = `('failed', 'undelivered')`;

/** The dashboard's numbers: customers' setups, factor adoption, second-factor outcomes, deliveries. */
@Injectable()
export class StatsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly factors: FactorService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly registry: FactorRegistry,
  ) {}

  async stats(): Promise<Stats> {
    const now = this.clock.now();
    const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (DAYS - 1) * DAY_MS);
    const since24h = new Date(now.getTime() - DAY_MS);
    const secondaryRequired = this.factors.policy('customer').secondaryRequired;

    const [[customers], factorRows, [{ low }], [outcomes24h], [deliveries24h], dailyMfa, dailyDeliveries] = await Promise.all([
      this.db.query(
        `SELECT count(*)::int AS total,
           count(*) FILTER (WHERE mfa_primary_type IS NOT NULL AND (mfa_secondary_count > 0 OR NOT $2))::int AS complete,
           count(*) FILTER (WHERE mfa_primary_type IS NOT NULL AND mfa_secondary_count = 0)::int AS missing_secondary,
           count(*) FILTER (WHERE mfa_primary_type IS NULL AND mfa_secondary_count = 0)::int AS without_factors,
           (SELECT count(*)::int FROM mfa_subject_locks WHERE realm = 'customer' AND locked_until > $1) AS locked
         FROM customers`,
        [now, secondaryRequired],
      ),
      this.db.query(
        `SELECT role, type, count(*)::int AS n FROM mfa_factors WHERE realm = 'customer' AND status = 'active' GROUP BY role, type`,
      ) as Promise<{ role: string; type: string; n: number }[]>,
      // Customers with a factor whose unused recovery codes are down to three or fewer.
      this.db.query(
        `SELECT count(*)::int AS low FROM customers c
         WHERE (c.mfa_primary_type IS NOT NULL OR c.mfa_secondary_count > 0)
           AND (SELECT count(*) FROM recovery_codes r
                WHERE r.realm = 'customer' AND r.subject_id = c.id AND r.used_at IS NULL AND r.revoked_at IS NULL) <= 3`,
      ),
      this.db.query(
        `SELECT count(*) FILTER (WHERE type = 'mfa.succeeded')::int AS success, count(*) FILTER (WHERE type = 'mfa.failed')::int AS failure
         FROM audit_events WHERE type IN ('mfa.succeeded', 'mfa.failed') AND subject_type = 'customer' AND at > $1`,
        [since24h],
      ),
      this.db.query(
        `SELECT count(*) FILTER (WHERE channel = 'sms' AND status NOT IN ${FAILED})::int AS sms_sent,
                count(*) FILTER (WHERE channel = 'sms' AND status IN ${FAILED})::int AS sms_failed,
                count(*) FILTER (WHERE channel = 'email' AND status NOT IN ${FAILED})::int AS email_sent,
                count(*) FILTER (WHERE channel = 'email' AND status IN ${FAILED})::int AS email_failed
         FROM message_deliveries WHERE created_at > $1`,
        [since24h],
      ),
      this.db.query(
        `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                count(*) FILTER (WHERE type = 'mfa.succeeded')::int AS success, count(*) FILTER (WHERE type = 'mfa.failed')::int AS failure
         FROM audit_events WHERE type IN ('mfa.succeeded', 'mfa.failed') AND subject_type = 'customer' AND at >= $1 GROUP BY 1`,
        [dayStart],
      ) as Promise<{ day: string; success: number; failure: number }[]>,
      this.db.query(
        `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, channel, (status IN ${FAILED}) AS failed, count(*)::int AS n
         FROM message_deliveries WHERE created_at >= $1 GROUP BY 1, 2, 3`,
        [dayStart],
      ) as Promise<{ day: string; channel: string; failed: boolean; n: number }[]>,
    ]);

    const guardrails = await this.guardrails(now);
    const count = (role: string, type: string) => factorRows.find((row) => row.role === role && row.type === type)?.n ?? 0;
    const daily: DailyStats[] = [];
    for (let i = 0; i < DAYS; i++) {
      const date = new Date(dayStart.getTime() + i * DAY_MS).toISOString().slice(0, 10);
      const mfa = dailyMfa.find((row) => row.day === date);
      const sent = (channel: string, failed: boolean) =>
        dailyDeliveries.filter((row) => row.day === date && row.channel === channel && row.failed === failed).reduce((sum, row) => sum + row.n, 0);
      daily.push({
        date, mfaSuccess: mfa?.success ?? 0, mfaFailure: mfa?.failure ?? 0,
        smsSent: sent('sms', false), smsFailed: sent('sms', true), emailSent: sent('email', false), emailFailed: sent('email', true),
      });
    }

    return {
      customers: {
        total: customers.total, complete: customers.complete, missingSecondary: customers.missing_secondary,
        withoutFactors: customers.without_factors, locked: customers.locked,
      },
      factors: {
        primary: this.byType('primary', count),
        secondary: this.byType('secondary', count),
      },
      recoveryCodesLow: low,
      last24h: {
        mfaSuccess: outcomes24h.success,
        mfaFailure: outcomes24h.failure,
        deliveries: {
          sms: { sent: deliveries24h.sms_sent, failed: deliveries24h.sms_failed },
          email: { sent: deliveries24h.email_sent, failed: deliveries24h.email_failed },
        },
      },
      daily,
      ...guardrails,
    };
  }

  /** A count for each registered type that may hold the role (a never-primary type is no primary key). */
  private byType(role: 'primary' | 'secondary', count: (role: string, type: string) => number): Record<string, number> {
    const types = this.registry.types().filter((type) => role === 'secondary' || this.registry.get(type).mayBePrimary);
    return Object.fromEntries(types.map((type) => [type, count(role, type)]));
  }

  private async guardrails(now: Date): Promise<Pick<Stats, 'atRisk' | 'failingChannels' | 'resets'>> {
    const [[{ atRisk }], failing, resets] = await Promise.all([
      this.db.query(`SELECT count(*)::int AS "atRisk" FROM customers c WHERE ${AT_RISK}`) as Promise<{ atRisk: number }[]>,
      this.db.query(
        `SELECT type, count(*)::int AS n FROM mfa_factors WHERE realm = 'customer' AND status = 'active' AND health_status = 'failing' GROUP BY type`,
      ) as Promise<{ type: 'sms' | 'email'; n: number }[]>,
      this.db.query(
        `SELECT ${RESET_STATUS_AT('$1')} AS status, count(*)::int AS n FROM support_resets r GROUP BY 1`,
        [now],
      ) as Promise<{ status: keyof Stats['resets']; n: number }[]>,
    ]);
    const providers = { sms: this.config.smsConfigured ? 'twilio' : 'outbox', email: this.config.SMTP_URL ? 'smtp' : 'outbox' };
    const byState: Stats['resets'] = { awaiting_approval: 0, scheduled: 0, executed: 0, cancelled: 0, expired: 0 };
    for (const row of resets) byState[row.status] += row.n;
    return {
      atRisk,
      failingChannels: (['sms', 'email'] as const).map((channel) => ({
        channel, provider: providers[channel], count: failing.find((row) => row.type === channel)?.n ?? 0,
      })),
      resets: byState,
    };
  }
}
