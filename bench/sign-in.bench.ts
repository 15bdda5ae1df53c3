// `npm run bench`: Twofold's sign-in steps under load, next to two floor servers in the same run.
// Against real PostgreSQL (TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres) it seeds
// BENCH_USERS accounts per server, then drives the password step, the TOTP step and the recovery-code
// step at BENCH_CONCURRENCY, each user once per step, on the API, then on the floor (bare node:http + pg
// keeping the contract's duties: audit, attempt budget and lock, the notice), then on the minimal floor
// (the same without those duties); bench/floor-server.ts.
// Prints requests/s, p50, p99, SQL statements per request (counted at the pg driver in each server), the
// server's and PostgreSQL's CPU per request, the API's peak RSS and the Twofold/floor ratios.
// BENCH_PROFILE=<dir> also writes a CPU profile of the API for each step (summarise with
// `node scripts/ts-run.js bench/profile-summary.ts <file>`). BENCH_STEPS picks steps, BENCH_SQL_TRACE=1
// lists each step's statements, BENCH_DIST=1 runs the production build (docs/performance.md).
import { ChildProcess, fork } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { totp } from '../apps/api/test/support/totp';
import type { ChildStats, ControlRequest } from './support/child-control';
import { BENCH_PASSWORD, BenchUser, seedUsers } from './support/seed';
import { postgresCpu, postgresCpuMsBetween } from './support/postgres-cpu';
import { startSmtpSink } from './support/smtp-sink';

const USERS = Number(process.env.BENCH_USERS ?? 2000);
const LOGIN_USERS = Number(process.env.BENCH_LOGIN_USERS ?? USERS);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
// Warm-up users per server: every step runs this many times on every server before any is measured, so
// each is measured with its code optimised (Twofold has far more of it to compile than a floor).
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);
const PROFILE_DIR = process.env.BENCH_PROFILE ? resolve(process.env.BENCH_PROFILE) : null;
const STEPS = (process.env.BENCH_STEPS ?? 'totp,recovery,password').split(',') as Step[];
// Extra Node flags for the API's process, e.g. --perf-basic-prof for `perf record` (docs/performance.md).
const API_NODE_FLAGS = (process.env.BENCH_API_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

type Step = 'password' | 'totp' | 'recovery';
interface Result {
  requests: number; errors: number; seconds: number; rps: number; p50: number; p99: number; sqlPerRequest: number; cpuMsPerRequest: number;
  /** PostgreSQL's CPU over the step per request (null: not measurable here). */
  pgCpuMsPerRequest: number | null;
  /** The server's event-loop delay over the step (p99 and worst, ms). */
  loopDelay: { p99: number; max: number };
  /** The server's garbage-collection pauses over the step. */
  gc: ChildStats['gc'];
  /** With BENCH_SQL_TRACE: statements per request, by opening words. */
  sqlByStatement?: Record<string, number>;
}

class Server {
  private nextId = 1;
  private readonly waiting = new Map<number, (value: unknown) => void>();
  private constructor(readonly name: string, private readonly child: ChildProcess, readonly port: number) {
    child.on('message', (message: { id?: number }) => {
      if (message.id !== undefined) this.waiting.get(message.id)?.(message);
    });
  }

  static start(name: string, entry: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<Server> {
    const child = fork(resolve(entry), [], {
      env: { ...process.env, ...env }, execArgv: [...nodeFlags, '-r', resolve('bench/support/swc-register.js')], stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new Promise((done, fail) => {
      child.once('exit', (code) => fail(new Error(`${name} exited (${code}) before it was ready`)));
      child.on('message', (message: { ready?: boolean; port?: number }) => {
        if (message.ready) done(new Server(name, child, message.port!));
      });
    });
  }

  ask(message: Omit<ControlRequest, 'id'>): Promise<{ stats?: ChildStats }> {
    const id = this.nextId++;
    return new Promise((done) => {
      this.waiting.set(id, done as (value: unknown) => void);
      this.child.send({ ...message, id });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.send({ id: 0, type: 'exit' });
    await exited;
  }
}

function post(agent: Agent, port: number, path: string, body: unknown): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end(payload);
  });
}

function requestFor(step: Step, user: BenchUser): [string, unknown] {
  if (step === 'password') return ['/auth/login', { email: user.email, password: BENCH_PASSWORD }];
  if (step === 'totp') return ['/auth/mfa/verify', { mfaToken: user.mfaTokens.totp, factorId: user.totpFactorId, code: totp(user.totpSecret, new Date()) }];
  return ['/auth/mfa/verify', { mfaToken: user.mfaTokens.recovery, recoveryCode: user.recoveryCodes[0] }];
}

/** Every user once, CONCURRENCY requests in flight. */
async function drive(server: Server, step: Step, users: BenchUser[]): Promise<{ latencies: number[]; errors: number; seconds: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  // A fresh pool per run: sockets left idle while the other server ran would have been closed by now.
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const started = performance.now();
  const worker = async () => {
    while (next < users.length) {
      const [path, body] = requestFor(step, users[next++]);
      const sent = performance.now();
      const status = await post(agent, server.port, path, body);
      latencies.push(performance.now() - sent);
      if (status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}

/**
 * Waits until the background work of what was driven is done: every message written sent (a recovery
 * code's notice) and every audit event sealed, on whichever server wrote them, so a step's statements
 * and CPU include them and none spill into the next server's step. BENCH_SMTP=down: notices are not waited for.
 */
async function settled(db: Client): Promise<void> {
  const notices = process.env.BENCH_SMTP === 'down' ? '0'
    : `(SELECT count(*) FROM message_deliveries WHERE status IN ('pending', 'enqueued', 'sending')) + (SELECT count(*) FROM floor_notices WHERE sent_at IS NULL)`;
  const unsealed = `(SELECT count(*) FROM audit_events WHERE hash IS NULL) + (SELECT count(*) FROM floor_audit_events WHERE hash IS NULL)`;
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; await new Promise((wait) => setTimeout(wait, 250))) {
    const [{ n }] = (await db.query<{ n: number }>(`SELECT (${notices} + ${unsealed})::int AS n`)).rows;
    if (n === 0) return;
  }
  throw new Error('Notices or audit events were still pending after 5 minutes');
}

async function measure(server: Server, step: Step, users: BenchUser[], db: Client): Promise<Result> {
  const before = (await server.ask({ type: 'stats' })).stats!;
  const pgBefore = postgresCpu();
  if (PROFILE_DIR && server.name === 'twofold') await server.ask({ type: 'profile:start' });
  const run = await drive(server, step, users);
  if (PROFILE_DIR && server.name === 'twofold') await server.ask({ type: 'profile:stop', path: join(PROFILE_DIR, `${step}.cpuprofile`) } as never);
  await settled(db);
  // The dead rows the step left are its own cost: vacuumed now, not by autovacuum during the next server's
  // step. Plain VACUUM skips the pages nothing changed; statistics were taken once, after the warm-up.
  await db.query('VACUUM');
  const after = (await server.ask({ type: 'stats' })).stats!;
  const pgCpuMs = postgresCpuMsBetween(pgBefore, postgresCpu());
  const sorted = run.latencies.sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return {
    requests: users.length, errors: run.errors, seconds: run.seconds, rps: users.length / run.seconds,
    p50: at(0.5), p99: at(0.99), sqlPerRequest: (after.statements - before.statements) / users.length,
    cpuMsPerRequest: (after.cpuMs - before.cpuMs) / users.length,
    pgCpuMsPerRequest: pgCpuMs === null ? null : pgCpuMs / users.length,
    loopDelay: after.loopDelay, gc: after.gc,
    ...(process.env.BENCH_SQL_TRACE ? { sqlByStatement: Object.fromEntries(Object.entries(after.trace).map(([sql, n]) => [sql, n / users.length])) } : {}),
  };
}

function row(label: string, r: Result): string {
  return `${label.padEnd(22)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   ` +
    `SQL/req ${r.sqlPerRequest.toFixed(2).padStart(5)}   CPU ${r.cpuMsPerRequest.toFixed(1).padStart(5)} ms/req   ` +
    `PostgreSQL CPU ${r.pgCpuMsPerRequest === null ? '  n/a' : r.pgCpuMsPerRequest.toFixed(1).padStart(5)} ms/req   ` +
    `loop delay p99 ${r.loopDelay.p99.toFixed(0)} max ${r.loopDelay.max.toFixed(0)} ms   ` +
    `GC ${(r.gc.minor.totalMs + r.gc.major.totalMs).toFixed(0)} ms (longest scavenge ${r.gc.minor.maxMs.toFixed(0)}, other ${r.gc.major.maxMs.toFixed(0)})   errors ${r.errors}/${r.requests}`;
}

function ratio(label: string, ours: Result, base: Result): string {
  return `${label.padEnd(22)} ${(ours.rps / base.rps).toFixed(2).padStart(7)}x req/s   ${(base.cpuMsPerRequest / ours.cpuMsPerRequest).toFixed(2)}x by CPU per request${withPostgres(ours, base)}`;
}

/** The ratio of server and PostgreSQL CPU together: on a shared machine both come out of the same cores. */
function withPostgres(ours: Result, base: Result): string {
  if (ours.pgCpuMsPerRequest === null || base.pgCpuMsPerRequest === null) return '';
  const total = (r: Result) => r.cpuMsPerRequest + r.pgCpuMsPerRequest!;
  return `   ${(total(base) / total(ours)).toFixed(2)}x by server + PostgreSQL CPU`;
}

async function main(): Promise<void> {
  const name = `twofold_bench_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keys = {
    JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    FACTOR_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CODE_HASH_KEY: randomBytes(32).toString('base64'),
  };
  // BENCH_SMTP=down: notices to a closed port, as this bench did before the sink (their sends fail and retry later).
  const smtp = process.env.BENCH_SMTP === 'down' ? { url: 'smtp://127.0.0.1:1', close: async () => undefined } : await startSmtpSink();
  const env = {
    // development, not production: production refuses to run with rate limits off and without Redis,
    // and both would measure something else (the throttle, a Redis round trip) than the sign-in itself.
    ...keys, NODE_ENV: 'development', METRICS_TOKEN: randomBytes(16).toString('hex'), DATABASE_URL: url.toString(), THROTTLE_ENABLED: 'false', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    SMTP_URL: smtp.url, TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'bench', TWILIO_FROM: '+15005550006',
    PUBLIC_BASE_URL: 'http://127.0.0.1', DATA_DIR: join(process.cwd(), '.data', 'bench'),
  };
  const servers: Server[] = [];
  try {
    if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
    // The heap cap the production image sets (Dockerfile, npm run start:prod): it decides the peak RSS.
    const twofold = await Server.start('twofold', 'bench/api-server.ts', env, ['--max-old-space-size=160', ...API_NODE_FLAGS]); // runs the migrations
    servers.push(twofold);
    const floor = await Server.start('floor', 'bench/floor-server.ts', { ...env, FLOOR_KIND: 'contract' }); // creates its tables
    servers.push(floor);
    const minimal = await Server.start('minimal', 'bench/floor-server.ts', { ...env, FLOOR_KIND: 'minimal' });
    servers.push(minimal);
    const db = new Client({ connectionString: url.toString() });
    await db.connect();
    const seeded = {
      twofold: await seedUsers(db, keys, USERS + WARMUP, 'twofold'), floor: await seedUsers(db, keys, USERS + WARMUP, 'floor'),
      minimal: await seedUsers(db, keys, USERS + WARMUP, 'minimal'),
    };
    await db.query('VACUUM ANALYZE');

    console.log(`PostgreSQL ${name}; ${USERS} users per server (+${WARMUP} warm-up), concurrency ${CONCURRENCY}, ${LOGIN_USERS} password steps`);
    for (const server of [twofold, floor, minimal]) {
      for (const step of STEPS) await drive(server, step, seeded[server.name as keyof typeof seeded].slice(0, step === 'password' ? Math.min(WARMUP, 64) : WARMUP));
    }
    await settled(db);
    // Statistics of tables with rows in them, as in production: analysed while empty (before the warm-up),
    // sessions and mfa_subject_locks were planned as seq scans, read whole by every sign-in and foreign-key check.
    await db.query('VACUUM ANALYZE');
    const results: Record<string, Record<string, Result>> = {};
    for (const step of STEPS) {
      results[step] = {};
      for (const server of [twofold, floor, minimal]) {
        const users = seeded[server.name as keyof typeof seeded];
        const measured = users.slice(WARMUP, WARMUP + (step === 'password' ? LOGIN_USERS : USERS));
        results[step][server.name] = await measure(server, step, measured, db);
      }
      const { twofold: ours, floor: base, minimal: least } = results[step];
      console.log(row(`${step} twofold`, ours));
      console.log(row(`${step} floor`, base));
      console.log(row(`${step} minimal floor`, least));
      for (const [sql, n] of Object.entries(ours.sqlByStatement ?? {}).sort((a, b) => b[1] - a[1])) console.log(`  ${n.toFixed(2).padStart(5)}  ${sql}`);
      console.log(ratio(`${step} ratio`, ours, base));
      console.log(ratio(`${step} ratio (minimal)`, ours, least));
    }
    await db.end();
    const { peakRssMb, atPeak } = (await twofold.ask({ type: 'stats' })).stats!;
    const parts = Object.entries(atPeak).filter(([part]) => part !== 'rss').map(([part, mb]) => `${part} ${mb}`).join(', ');
    console.log(`API peak RSS ${peakRssMb.toFixed(0)} MB (sampled at its highest: ${atPeak.rss} MB, of which ${parts} MB)`);
    if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ users: USERS, concurrency: CONCURRENCY, results, peakRssMb }, null, 2));
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await smtp.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
