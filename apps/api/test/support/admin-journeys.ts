import { ResetRunner } from '../../src/resets/reset-runner.service';
import { SupportResetsService } from '../../src/resets/support-resets.service';
import { StaffService } from '../../src/staff/staff.service';
import type { StaffRole } from '../../src/staff/staff.entity';
import { bearer, uniqueEmail } from './journeys';
import type { TestContext } from './test-app';
import { totp } from './totp';

export interface SignedInStaff {
  id: string;
  email: string;
  role: StaffRole;
  password: string;
  totpSecret: string;
  factorId: string;
  accessToken: string;
  refreshToken: string;
}

/** A member of staff made by the same service call the CLI's staff:create makes. */
export async function createStaff(ctx: TestContext, role: StaffRole, email = uniqueEmail(role)) {
  return ctx.app.get(StaffService).create({ email, name: `Test ${role}`, role }, { actor: { type: 'system', id: null } });
}

/** A member of staff's own password, replacing the setup password at the first sign-in. */
export const STAFF_PASSWORD = 'a staff passphrase of my own';

/** New member of staff → password → mfa_setup_required → TOTP enrolled → own password chosen → a full staff session. */
export async function signedInStaff(ctx: TestContext, role: StaffRole): Promise<SignedInStaff> {
  const created = await createStaff(ctx, role);
  const login = await ctx.http.post('/admin/auth/login').send({ email: created.email, password: created.setupPassword }).expect(200);
  const enroll = bearer(login.body.accessToken);
  const enrolled = await ctx.http.post('/admin/me/factors').set(enroll).send({ type: 'totp', role: 'primary' }).expect(201);
  const done = await ctx.http
    .post(`/admin/me/factors/${enrolled.body.factor.id}/verify`)
    .set(enroll)
    .send({ code: totp(enrolled.body.secret, ctx.clock.now()) })
    .expect(200);
  // Staff routes answer password_change_required until the setup password is replaced.
  await ctx.http.post('/admin/me/password').set(bearer(done.body.tokens.accessToken)).send({ currentPassword: created.setupPassword, newPassword: STAFF_PASSWORD }).expect(204);
  return {
    id: created.id,
    email: created.email,
    role,
    password: STAFF_PASSWORD,
    totpSecret: enrolled.body.secret,
    factorId: enrolled.body.factor.id,
    accessToken: done.body.tokens.accessToken,
    refreshToken: done.body.tokens.refreshToken,
  };
}

/** Password then TOTP for an enrolled member of staff (moves the clock one step: a fresh code). */
export async function staffSignIn(ctx: TestContext, staff: Pick<SignedInStaff, 'email' | 'password' | 'totpSecret' | 'factorId'>) {
  ctx.clock.advance(30);
  const login = await ctx.http.post('/admin/auth/login').send({ email: staff.email, password: staff.password }).expect(200);
  const res = await ctx.http
    .post('/admin/auth/mfa/verify')
    .send({ mfaToken: login.body.mfaToken, factorId: staff.factorId, code: totp(staff.totpSecret, ctx.clock.now()) })
    .expect(200);
  return res.body as { accessToken: string; refreshToken: string };
}

export const REASON = 'Caller lost their phone; identity confirmed on a call back';

/**
 * A whole reset as the guardrails allow it: one supervisor requests, another approves, the delay
 * passes and the runner runs it. Answers the reset as it ended.
 */
export async function approvedReset(ctx: TestContext, customerId: string, requester: SignedInStaff, approver: SignedInStaff, verification = 'in_person') {
  const requested = await ctx.http.post(`/admin/customers/${customerId}/reset-mfa`).set(bearer(requester.accessToken)).send({ reason: REASON, verification }).expect(202);
  await ctx.http.post(`/admin/resets/${requested.body.id}/approve`).set(bearer(approver.accessToken)).expect(200);
  ctx.clock.advance(ctx.config.SUPPORT_RESET_DELAY_SECONDS);
  await ctx.app.get(ResetRunner).runDue();
  // Read through the service: a long delay outlives the staff tokens.
  return ctx.app.get(SupportResetsService).get(requested.body.id as string);
}
