import type { TestContext } from './test-app';
import { totp } from './totp';

export const PASSWORD = 'correct horse battery staple';

let counter = 0;
export function uniqueEmail(prefix = 'patient'): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}.${counter}@example.com`;
}

export interface EnrolledCustomer {
  email: string;
  totpFactorId: string;
  totpSecret: string;
  emailFactorId: string;
  recoveryCodes: string[];
  accessToken: string;
  refreshToken: string;
}

export async function register(ctx: TestContext, email = uniqueEmail()): Promise<string> {
  await ctx.http.post('/auth/register').send({ email, password: PASSWORD }).expect(201);
  return email;
}

export async function login(ctx: TestContext, email: string) {
  const res = await ctx.http.post('/auth/login').send({ email, password: PASSWORD }).expect(200);
  return res.body;
}

/** A TOTP code for the current test time, never one already used by this factor. */
export function currentTotp(ctx: TestContext, secret: string, stepOffset = 0): string {
  return totp(secret, ctx.clock.now(), stepOffset);
}

/** Moves the clock to the next 30 s step, so the next TOTP code is a fresh one. */
export function nextTotpStep(ctx: TestContext): void {
  ctx.clock.advance(30);
}

/** New customer → TOTP primary → email secondary (code read from the SMTP server) → full session. */
export async function enrolledCustomer(ctx: TestContext, email = uniqueEmail()): Promise<EnrolledCustomer> {
  await register(ctx, email);
  const { accessToken: enrollToken } = await login(ctx, email);
  const auth = { Authorization: `Bearer ${enrollToken}` };
  const totpRes = await ctx.http.post('/me/factors').set(auth).send({ type: 'totp', role: 'primary' }).expect(201);
  const secret: string = totpRes.body.secret;
  const confirmed = await ctx.http
    .post(`/me/factors/${totpRes.body.factor.id}/verify`)
    .set(auth)
    .send({ code: currentTotp(ctx, secret) })
    .expect(200);
  const emailRes = await ctx.http.post('/me/factors').set(auth).send({ type: 'email', role: 'secondary' }).expect(201);
  const code = await ctx.smtp.codeFor(email);
  const done = await ctx.http.post(`/me/factors/${emailRes.body.factor.id}/verify`).set(auth).send({ code }).expect(200);
  return {
    email,
    totpFactorId: totpRes.body.factor.id,
    totpSecret: secret,
    emailFactorId: emailRes.body.factor.id,
    recoveryCodes: confirmed.body.recoveryCodes,
    accessToken: done.body.tokens.accessToken,
    refreshToken: done.body.tokens.refreshToken,
  };
}

/** Password then TOTP: a fresh full session. */
export async function signInWithTotp(ctx: TestContext, customer: EnrolledCustomer) {
  nextTotpStep(ctx);
  const { mfaToken } = await login(ctx, customer.email);
  const res = await ctx.http
    .post('/auth/mfa/verify')
    .send({ mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) })
    .expect(200);
  return res.body;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
