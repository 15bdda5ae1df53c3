import type TestAgent from 'supertest/lib/agent';
import { totp } from '../../support/totp';

export const DRILL_PASSWORD = 'correct horse battery staple';
let counter = 0;

/** A client address of its own, so each step draws on a fresh rate-limit budget unless a test shares one. */
export function clientIp(): string {
  counter += 1;
  return `198.51.${Math.floor(counter / 250) % 250}.${(counter % 250) + 1}`;
}

export function drillEmail(prefix: string): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}.${counter}@example.com`;
}

export interface TotpCustomer {
  email: string;
  secret: string;
  factorId: string;
  recoveryCodes: string[];
}

/** Register → password → authenticator app as primary (policy "recommended": no secondary needed). */
export async function totpCustomer(http: TestAgent): Promise<TotpCustomer> {
  const email = drillEmail('drill');
  await http.post('/auth/register').set('X-Forwarded-For', clientIp()).send({ email, password: DRILL_PASSWORD }).expect(201);
  const login = await http.post('/auth/login').set('X-Forwarded-For', clientIp()).send({ email, password: DRILL_PASSWORD }).expect(200);
  const auth = { Authorization: `Bearer ${login.body.accessToken}`, 'X-Forwarded-For': clientIp() };
  const enrolled = await http.post('/me/factors').set(auth).send({ type: 'totp', role: 'primary' }).expect(201);
  const confirmed = await http
    .post(`/me/factors/${enrolled.body.factor.id}/verify`)
    .set(auth)
    .send({ code: totp(enrolled.body.secret, new Date()) })
    .expect(200);
  return { email, secret: enrolled.body.secret, factorId: enrolled.body.factor.id, recoveryCodes: confirmed.body.recoveryCodes };
}

/** The password step: an mfaToken. */
export async function mfaToken(http: TestAgent, email: string, ip = clientIp()): Promise<string> {
  const res = await http.post('/auth/login').set('X-Forwarded-For', ip).send({ email, password: DRILL_PASSWORD }).expect(200);
  return res.body.mfaToken;
}

/** Register → password → SMS as the first (primary) factor: a code to `phone`, returns the factor id. */
export async function startSmsSetup(http: TestAgent, phone: string): Promise<string> {
  const email = drillEmail('sms');
  await http.post('/auth/register').set('X-Forwarded-For', clientIp()).send({ email, password: DRILL_PASSWORD }).expect(201);
  const login = await http.post('/auth/login').set('X-Forwarded-For', clientIp()).send({ email, password: DRILL_PASSWORD }).expect(200);
  const res = await http
    .post('/me/factors')
    .set({ Authorization: `Bearer ${login.body.accessToken}`, 'X-Forwarded-For': clientIp() })
    .send({ type: 'sms', role: 'primary', phone })
    .expect(201);
  return res.body.factor.id;
}
