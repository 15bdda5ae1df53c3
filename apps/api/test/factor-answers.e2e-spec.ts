import { bearer, currentTotp, enrolledCustomer, login, nextTotpStep, register } from './support/journeys';
import { startTestApp, TestContext } from './support/test-app';

/** What the factor registry changes at the HTTP edge: which types exist, and answers that are not codes. */
describe('Factor types and answers over HTTP', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx?.close());

  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { amr: string[] };

  it('refuses a type no factor module registered with validation_failed, and accepts a label', async () => {
    const email = await register(ctx);
    const { accessToken } = await login(ctx, email);
    const unknown = await ctx.http.post('/me/factors').set(bearer(accessToken)).send({ type: 'smoke_signal', role: 'primary' }).expect(400);
    expect(unknown.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'type', message: expect.stringContaining('totp') }] });
    await ctx.http.post('/me/factors').set(bearer(accessToken)).send({ type: 'totp', role: 'primary', label: 'My phone' }).expect(201);
    const tooLong = await ctx.http.post('/me/factors').set(bearer(accessToken)).send({ type: 'totp', role: 'primary', label: 'x'.repeat(65) }).expect(400);
    expect(tooLong.body.errors).toEqual([expect.objectContaining({ field: 'label' })]);
  });

  it('wants a code or a credential to confirm a factor; a credential is no code for an app', async () => {
    const email = await register(ctx);
    const { accessToken } = await login(ctx, email);
    const enrolled = await ctx.http.post('/me/factors').set(bearer(accessToken)).send({ type: 'totp', role: 'primary' }).expect(201);
    const verify = (body: object) => ctx.http.post(`/me/factors/${enrolled.body.factor.id}/verify`).set(bearer(accessToken)).send(body);
    const fieldsOf = async (body: object) => [...new Set(((await verify(body).expect(400)).body.errors as { field: string }[]).map((error) => error.field))];
    expect(await fieldsOf({})).toEqual(['code']);
    expect(await fieldsOf({ credential: 'not an object' })).toEqual(['credential']);
    expect((await verify({ credential: { id: 'abc' } }).expect(401)).body).toMatchObject({ code: 'invalid_code', attemptsRemaining: expect.any(Number) });
    await verify({ code: currentTotp(ctx, enrolled.body.secret) }).expect(200);
  });

  it('signs in with a factor\'s code; a credential sent to a code factor counts as a wrong answer; the amr names the factor', async () => {
    const customer = await enrolledCustomer(ctx);
    nextTotpStep(ctx);
    const { mfaToken } = await login(ctx, customer.email);
    const wrong = await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, credential: { id: 'abc' } }).expect(401);
    expect(wrong.body).toMatchObject({ code: 'invalid_code', attemptsRemaining: 4 });
    const chosen = await ctx.http.post('/auth/mfa/challenge').send({ mfaToken, factorId: customer.totpFactorId }).expect(200);
    expect(chosen.body).toEqual({ factorId: customer.totpFactorId, type: 'totp' });
    const signedIn = await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) }).expect(200);
    expect(signedIn.body.method).toBe('totp');
    expect(claimsOf(signedIn.body.accessToken).amr).toEqual(['pwd', 'mfa', 'otp']);
  });
});
