// npm run bench:admin — the back office's customer search over 100 000 customers.
// Seeds a fresh PostgreSQL database (set-based INSERT … SELECT generate_series), then runs ~200
// representative list queries (search, filters, sorts, pages) through CustomerDirectory, the
// service behind GET /admin/customers, and prints latency percentiles. Target: p95 ≤ 50 ms.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { FactorService, SystemClock } from '@app/twofactor';
import { transactionHostOver } from '@app/twofactor/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AT_RISK, CUSTOMER_LIST, CustomerDirectory } from '../apps/api/src/support/customer-directory.service';
import { parseListQuery } from '../apps/api/src/common/list-query';
import type { TrustedDevices } from '../apps/api/src/devices/trusted-devices.service';
import { dataSourceOptions } from '../apps/api/src/database/data-source-options';
import { CUSTOMER_POLICY } from '../apps/api/src/two-factor.setup';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const FIRST = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'yasmin'];
const LAST = ['smith', 'jones', 'taylor', 'brown', 'williams', 'wilson', 'johnson', 'davies', 'patel', 'wright', 'thompson', 'evans', 'walker', 'white', 'roberts', 'green', 'hall', 'wood', 'jackson', 'clarke', 'khan', 'lewis', 'hughes', 'edwards', 'hill'];
const DOMAINS = ['example.com', 'mail.example.org', 'nhs.example.net', 'inbox.example.co.uk'];

async function seed(db: DataSource): Promise<void> {
  const list = (values: string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(',')}]`;
  // Emails: first.last<n>@domain; a fifth never signed in; created over ~3 years.
  await db.query(`
    INSERT INTO customers (email, password_hash, created_at, password_changed_at, last_login_at)
    SELECT (${list(FIRST)})[1 + n % ${FIRST.length}] || '.' || (${list(LAST)})[1 + (n / ${FIRST.length}) % ${LAST.length}] || n
             || '@' || (${list(DOMAINS)})[1 + (n / 7) % ${DOMAINS.length}],
           '$argon2id$v=19$m=19456,t=2,p=1$' || left(md5(n::text), 22) || '$' || md5(n || 'a') || left(md5(n || 'b'), 11), now() - make_interval(mins => n), now() - make_interval(mins => n),
           CASE WHEN n % 5 = 0 THEN NULL ELSE now() - make_interval(secs => (n * 7919) % 2592000) END
    FROM generate_series(1, ${CUSTOMERS}) AS n`);
  await db.query(`CREATE TEMP TABLE bench_ids AS SELECT id, row_number() OVER (ORDER BY created_at) AS n FROM customers`);
  // 80 % have a primary (60 % TOTP, 40 % SMS); 85 % of those a secondary; 2 % a pending factor.
  await db.query(`
    INSERT INTO mfa_factors (realm, subject_id, type, role, status, destination, created_at, verified_at, last_used_at)
    SELECT 'customer', id, CASE WHEN n % 5 < 3 THEN 'totp' ELSE 'sms' END, 'primary', 'active',
           CASE WHEN n % 5 < 3 THEN NULL ELSE '+4477009' || lpad((n % 100000)::text, 5, '0') END,
           now() - interval '30 days', now() - interval '30 days', now() - interval '1 day'
    FROM bench_ids WHERE n % 10 < 8`);
  await db.query(`
    INSERT INTO mfa_factors (realm, subject_id, type, role, status, destination, created_at, verified_at, health_status, delivery_failures_in_row)
    SELECT 'customer', id, CASE WHEN n % 3 = 0 AND n % 5 < 3 THEN 'sms' ELSE 'email' END, 'secondary', 'active',
           'someone' || n || '@example.com', now() - interval '29 days', now() - interval '29 days',
           -- About 2 % of these channels failing (three refusals in a row): the at-risk filter's input.
           CASE WHEN n % 53 = 0 THEN 'failing' ELSE 'ok' END, CASE WHEN n % 53 = 0 THEN 3 ELSE 0 END
    FROM bench_ids WHERE n % 10 < 8 AND n % 20 <> 1 AND n % 20 <> 7 AND n % 20 <> 13`);
  await db.query(`
    INSERT INTO mfa_factors (realm, subject_id, type, role, status, created_at)
    SELECT 'customer', id, 'totp', 'primary', 'pending', now() - interval '1 hour' FROM bench_ids WHERE n % 50 = 9`);
  // Ten recovery codes per customer with a primary, some used.
  await db.query(`
    INSERT INTO recovery_codes (realm, subject_id, code_hash, generated_at, used_at)
    SELECT 'customer', b.id, md5(b.id::text || k), now() - interval '30 days',
           CASE WHEN k <= b.n % 9 THEN now() - interval '2 days' END
    FROM bench_ids b CROSS JOIN generate_series(1, 10) AS k WHERE b.n % 10 < 8`);
  await db.query(`
    INSERT INTO mfa_subject_locks (realm, subject_id, failed_count, lock_count, locked_until)
    SELECT 'customer', id, 0, 1, now() + interval '10 minutes' FROM bench_ids WHERE n % 97 = 0`);
  // A steady-state database is vacuumed: counts become index-only scans.
  await db.query(`VACUUM ANALYZE`);
}

/** ~200 queries an agent's day is made of: the default page, paging, searches, filters, sorts. */
function workload(): Record<string, string>[] {
  const q = (filter: Record<string, unknown>, sort = ['createdAt', 'DESC'], range = [0, 24]) => ({
    filter: JSON.stringify(filter), sort: JSON.stringify(sort), range: JSON.stringify(range),
  });
  const out: Record<string, string>[] = [];
  for (let i = 0; i < 20; i++) out.push(q({}, ['createdAt', 'DESC'], [i * 25, i * 25 + 24]));
  for (let i = 0; i < 10; i++) out.push(q({}, ['createdAt', 'DESC'], [i * 2500, i * 2500 + 24]));
  for (let i = 0; i < 20; i++) {
    const n = 1 + ((i * 4099) % CUSTOMERS);
    const first = FIRST[n % FIRST.length];
    const last = LAST[Math.floor(n / FIRST.length) % LAST.length];
    out.push(q({ q: `${first}.${last}${n}@` }));
    out.push(q({ q: `${first}.${last}${n}`.toUpperCase() }));
    out.push(q({ q: first }));
    out.push(q({ q: `${last}${String(n).slice(0, 3)}` }));
    out.push(q({ q: `${first}.${last}` }, ['email', 'ASC']));
  }
  for (const domain of DOMAINS) out.push(q({ q: domain }));
  for (let i = 0; i < 4; i++) {
    out.push(q({ mfaComplete: true }, ['createdAt', 'DESC'], [i * 25, i * 25 + 24]));
    out.push(q({ mfaComplete: false }));
    out.push(q({ primaryType: 'sms' }));
    out.push(q({ primaryType: 'totp' }, ['lastLoginAt', 'DESC']));
    out.push(q({ missingSecondary: true }));
    out.push(q({ locked: true }));
    out.push(q({ locked: true, mfaComplete: true }));
    out.push(q({ q: FIRST[i], mfaComplete: false }));
    out.push(q({ q: LAST[i], primaryType: 'sms', missingSecondary: false }));
    out.push(q({}, ['email', i % 2 ? 'ASC' : 'DESC'], [i * 100, i * 100 + 24]));
    out.push(q({}, ['lastLoginAt', i % 2 ? 'ASC' : 'DESC']));
    out.push(q({ mfaComplete: true }, ['email', 'ASC'], [0, 99]));
    out.push(q({ atRisk: true }, ['createdAt', 'DESC'], [i * 25, i * 25 + 24]));
    out.push(q({ atRisk: true, q: FIRST[i] }));
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  // BENCH_DB reuses a database a previous run left behind with BENCH_KEEP_DB=1 (for tuning).
  const reuse = process.env.BENCH_DB;
  const name = reuse ?? `twofold_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: SERVER });
  await admin.connect();
  if (!reuse) await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const db = new DataSource(dataSourceOptions({ DATABASE_URL: url.toString(), DATA_DIR: '.data' }));
  try {
    await db.initialize();
    await db.runMigrations();
    let started = performance.now();
    if (!reuse) await seed(db);
    const [{ customers }] = await db.query(`SELECT count(*)::int AS customers FROM customers`);
    const [{ factors }] = await db.query(`SELECT count(*)::int AS factors FROM mfa_factors`);
    console.log(`seeded ${customers} customers, ${factors} factors in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const factorStub = { policy: () => CUSTOMER_POLICY } as unknown as FactorService;
    // The list never reads devices (only a customer's detail does).
    const directory = new CustomerDirectory(transactionHostOver(db), factorStub, new SystemClock(), {} as TrustedDevices);
    const queries = workload();
    for (const query of queries.slice(0, 20)) await directory.list(parseListQuery(query, CUSTOMER_LIST)); // warm-up

    const timings: { ms: number; query: Record<string, string>; total: number }[] = [];
    for (const query of queries) {
      started = performance.now();
      const { total } = await directory.list(parseListQuery(query, CUSTOMER_LIST));
      timings.push({ ms: performance.now() - started, query, total });
    }
    const sorted = timings.map((t) => t.ms).sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(`${timings.length} list queries (rows + Content-Range total):`);
    console.log(`  p50 ${fmt(percentile(sorted, 50))}   p95 ${fmt(percentile(sorted, 95))}   p99 ${fmt(percentile(sorted, 99))}   max ${fmt(sorted[sorted.length - 1])}`);
    console.log('  slowest:');
    for (const t of [...timings].sort((a, b) => b.ms - a.ms).slice(0, 5)) {
      console.log(`    ${fmt(t.ms)}  filter=${t.query.filter} sort=${t.query.sort} range=${t.query.range} → ${t.total}`);
    }
    // The dashboard's Stats.atRisk: one count over every customer.
    const atRisk: number[] = [];
    for (let i = 0; i < 5; i++) {
      started = performance.now();
      await db.query(`SELECT count(*)::int FROM customers c WHERE ${AT_RISK}`);
      atRisk.push(performance.now() - started);
    }
    console.log(`  Stats.atRisk count: median ${fmt(atRisk.sort((a, b) => a - b)[2])}`);
    const p95 = percentile(sorted, 95);
    console.log(p95 <= 50 ? 'OK: p95 ≤ 50 ms' : 'SLOW: p95 > 50 ms');
    if (p95 > 50) process.exitCode = 1;
  } finally {
    if (db.isInitialized) await db.destroy();
    if (process.env.BENCH_KEEP_DB) console.log(`kept database ${name}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
