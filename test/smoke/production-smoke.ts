// The production artifact, run as docker-compose.yml runs the image: from a directory installed with
// `npm ci --omit=dev`, NODE_ENV=production; the migrations and the app role's grants as the owner (the
// `migrate` service), then `node dist/.../main.js` as that role without DDL and without migrating at start,
// against PostgreSQL, Redis and the local SMTP and Twilio-compatible servers. Checks /health, one full
// customer sign-in (TOTP primary, SMS secondary, then password + TOTP), the served console and /metrics.
// Run by .ci/run after `npm run build`:
//   PROD_DIR=<dir> PROD_DATABASE_URL=<owner's url> REDIS_URL=<url> node scripts/ts-run.js test/smoke/production-smoke.ts
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { totp } from '../../apps/api/test/support/totp';
import { SmtpTestServer } from '../support/smtp-test-server';
import { TwilioTestServer } from '../support/twilio-test-server';

const PASSWORD = 'correct horse battery staple';
const APP_ROLE = 'twofold_smoke_app';
const API_ENTRY = join('dist', 'apps', 'api', 'apps', 'api', 'src');
const METRICS_TOKEN = randomBytes(24).toString('base64url');

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function check(condition: unknown, what: string): void {
  if (!condition) throw new Error(`production smoke: ${what}`);
  console.log(`  ok: ${what}`);
}

/** One step of the image's `migrate` service, as the owner role; throws unless it exits 0. */
function ownerStep(prodDir: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = spawn(process.execPath, args, {
      cwd: prodDir,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: required('PROD_DATABASE_URL'), ...env },
    });
    step.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

/** The same database, reached as the app role (the owner's URL with another user). */
function asAppRole(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = password;
  return url.toString();
}

async function main(): Promise<void> {
  const prodDir = required('PROD_DIR');
  const appPassword = randomBytes(18).toString('base64url');
  await ownerStep(prodDir, [join('node_modules', 'typeorm', 'cli.js'), 'migration:run', '-d', join(API_ENTRY, 'database', 'data-source.js')], {});
  await ownerStep(prodDir, [join(API_ENTRY, 'database', 'grant-app-role.js')], { APP_DATABASE_ROLE: APP_ROLE, APP_DATABASE_PASSWORD: appPassword });
  check(true, 'migrations and the app role\'s grants ran as the owner');

  const [smtp, twilio, port] = await Promise.all([SmtpTestServer.start(), TwilioTestServer.start(), freePort()]);
  const base = `http://127.0.0.1:${port}`;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const api = spawn(process.execPath, [join(API_ENTRY, 'main.js')], {
    cwd: prodDir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: asAppRole(required('PROD_DATABASE_URL'), appPassword),
      MIGRATE_ON_START: 'false',
      REDIS_URL: required('REDIS_URL'),
      SMTP_URL: smtp.url,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: twilio.baseUrl,
      PUBLIC_BASE_URL: base,
      METRICS_TOKEN,
      JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      FACTOR_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      CODE_HASH_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
    },
  });
  const exited = new Promise<number | null>((resolve) => api.on('exit', resolve));
  try {
    await waitForHealth(base, exited);
    await signInJourney(base, smtp, twilio);
    const console_ = await fetch(`${base}/admin/`);
    check(console_.status === 200 && (await console_.text()).includes('<div id="root">'), 'the admin console is served at /admin/');
    const accountPages = await fetch(`${base}/account/`);
    check(accountPages.status === 200 && (await accountPages.text()).includes('<div id="root">'), "the customer's pages are served at /account/");
    check((await fetch(`${base}/metrics`)).status === 401, '/metrics refuses a scrape without the token');
    const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    check(metrics.status === 200 && (await metrics.text()).includes('twofold_second_factor_attempts_total{realm="customer",method="totp",outcome="success"}'), '/metrics counts the sign-ins');
  } finally {
    api.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    api.kill('SIGKILL');
    await Promise.all([smtp.stop(), twilio.stop()]);
  }
}

async function waitForHealth(base: string, exited: Promise<number | null>): Promise<void> {
  let crashed: number | null | undefined;
  void exited.then((code) => (crashed = code));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (crashed !== undefined) throw new Error(`the production build exited with code ${crashed} before it was healthy`);
    const res = await fetch(`${base}/health`).catch(() => null);
    if (res?.status === 200) {
      const body = (await res.json()) as { checks: Record<string, string> };
      check(body.checks.database === 'up' && body.checks.redis === 'up', 'GET /health: database and Redis up');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the production build did not become healthy within 60 s');
}

// The answers are checked field by field below; an untyped record keeps that short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = Record<string, any>;

async function call(base: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Answer }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Answer) : {} };
}

async function signInJourney(base: string, smtp: SmtpTestServer, twilio: TwilioTestServer): Promise<void> {
  const email = `smoke.${Date.now()}@example.com`;
  check((await call(base, 'POST', '/auth/register', { email, password: PASSWORD })).status === 201, 'a customer registers');
  const first = await call(base, 'POST', '/auth/login', { email, password: PASSWORD });
  check(first.body?.status === 'mfa_setup_required', 'the first login asks for setup');
  const enroll = first.body.accessToken as string;

  const added = await call(base, 'POST', '/me/factors', { type: 'totp', role: 'primary' }, enroll);
  check(added.status === 201 && typeof added.body.secret === 'string', 'an authenticator app is added as primary');
  const secret = added.body.secret as string;
  const step = Math.floor(Date.now() / 30_000);
  const confirmed = await call(base, 'POST', `/me/factors/${added.body.factor.id}/verify`, { code: totp(secret, new Date()) }, enroll);
  check(confirmed.status === 200 && confirmed.body.recoveryCodes?.length === 10, 'the authenticator code confirms it and recovery codes come back');

  const phone = '+447911123456';
  const sms = await call(base, 'POST', '/me/factors', { type: 'sms', role: 'secondary', phone }, enroll);
  check(sms.status === 201, `a phone is added as secondary (${sms.status} ${sms.body?.code ?? ''})`);
  const smsCode = await twilio.codeFor(phone, 15_000);
  const done = await call(base, 'POST', `/me/factors/${sms.body.factor.id}/verify`, { code: smsCode }, enroll);
  check(done.status === 200 && done.body.complete === true && done.body.tokens?.scope === 'session', 'the SMS code (through the Twilio-compatible server) completes setup');
  await smtp.waitFor((mail) => mail.to.includes(email), 15_000);
  check(true, 'a notice reached the SMTP server');

  // A step once used is refused: wait for the next one before signing in again.
  while (Math.floor(Date.now() / 30_000) === step) await new Promise((resolve) => setTimeout(resolve, 500));
  const login = await call(base, 'POST', '/auth/login', { email, password: PASSWORD });
  check(login.body?.status === 'mfa_required', 'the next login asks for the second factor');
  const verified = await call(base, 'POST', '/auth/mfa/verify', { mfaToken: login.body.mfaToken, factorId: added.body.factor.id, code: totp(secret, new Date()) });
  check(verified.status === 200 && verified.body.scope === 'session', 'password + TOTP signs in');
  const me = await call(base, 'GET', '/me', undefined, verified.body.accessToken);
  check(me.status === 200 && me.body.email === email, 'the access token works on /me');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
