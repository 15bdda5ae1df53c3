import { SoftwareAuthenticator } from '@app/passkeys/testing';
import { createStaff, signedInStaff, staffSignIn } from './support/admin-journeys';
import { bearer, enrolledCustomer, login, register, signInWithTotp, uniqueEmail } from './support/journeys';
import { startTestApp, TestContext } from './support/test-app';

/** The claims of an access token (its signature is the API's business, tested elsewhere). */
function claimsOf(accessToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

interface PasskeyCustomer {
  email: string;
  factorId: string;
  authenticator: SoftwareAuthenticator;
}

describe('Passkeys (WebAuthn) over HTTP, with a software authenticator', () => {
  let ctx: TestContext;
  let origin: string;

  beforeAll(async () => {
    // A low lock threshold, so a test can reach the lock with a few wrong answers.
    ctx = await startTestApp({ MFA_LOCK_THRESHOLD: '4' });
    origin = ctx.config.webauthnOrigins[0];
  });
  afterAll(() => ctx?.close());
  afterEach(() => ctx.clock.reset());

  /** New customer → passkey as primary → email as secondary → complete. */
  async function passkeyCustomer(): Promise<PasskeyCustomer> {
    const email = await register(ctx, uniqueEmail('passkey'));
    const auth = bearer((await login(ctx, email)).accessToken);
    const authenticator = new SoftwareAuthenticator(origin);
    const enrolled = await ctx.http.post('/me/factors').set(auth).send({ type: 'passkey', role: 'primary' }).expect(201);
    await ctx.http.post(`/me/factors/${enrolled.body.factor.id}/verify`).set(auth).send({ credential: authenticator.register(enrolled.body.options) }).expect(200);
    const emailFactor = await ctx.http.post('/me/factors').set(auth).send({ type: 'email', role: 'secondary' }).expect(201);
    const done = await ctx.http.post(`/me/factors/${emailFactor.body.factor.id}/verify`).set(auth).send({ code: await ctx.smtp.codeFor(email) }).expect(200);
    expect(done.body.complete).toBe(true);
    return { email, factorId: enrolled.body.factor.id, authenticator };
  }

  /** Password, then the passkey's request options for that sign-in. */
  async function passkeyChallenge(customer: Pick<PasskeyCustomer, 'email' | 'factorId'>) {
    const { mfaToken } = await login(ctx, customer.email);
    const challenge = await ctx.http.post('/auth/mfa/challenge').send({ mfaToken, factorId: customer.factorId }).expect(200);
    return { mfaToken: mfaToken as string, options: challenge.body.options };
  }

  describe('customers', () => {
    it('enrol a passkey as primary: creation options, then the registration confirms it', async () => {
      const email = await register(ctx, uniqueEmail('passkey'));
      const auth = bearer((await login(ctx, email)).accessToken);
      const enrolled = await ctx.http.post('/me/factors').set(auth).send({ type: 'passkey', role: 'primary', label: 'Work laptop' }).expect(201);
      expect(enrolled.headers['cache-control']).toBe('no-store');
      expect(enrolled.body.factor).toMatchObject({ type: 'passkey', role: 'primary', status: 'pending', hint: 'Passkey · Work laptop' });
      const { options } = enrolled.body;
      expect(options).toMatchObject({
        rp: { id: new URL(origin).hostname, name: ctx.config.TOTP_ISSUER },
        user: { name: email },
        attestation: 'none',
        excludeCredentials: [],
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      });
      expect(options.pubKeyCredParams.map((param: { alg: number }) => param.alg)).toEqual([-7, -257]);
      expect(Buffer.from(options.challenge, 'base64url').length).toBeGreaterThanOrEqual(16);
      expect(Buffer.from(options.user.id, 'base64url').toString()).not.toContain(email);

      const authenticator = new SoftwareAuthenticator(origin);
      const confirmed = await ctx.http.post(`/me/factors/${enrolled.body.factor.id}/verify`).set(auth).send({ credential: authenticator.register(options) }).expect(200);
      expect(confirmed.body).toMatchObject({ complete: false, setupRequired: ['secondary'], factor: { type: 'passkey', status: 'active', role: 'primary' } });
      expect(confirmed.body.recoveryCodes).toHaveLength(10);
    });

    it('refuse a registration from another origin with invalid_credential', async () => {
      const email = await register(ctx, uniqueEmail('passkey'));
      const auth = bearer((await login(ctx, email)).accessToken);
      const enrolled = await ctx.http.post('/me/factors').set(auth).send({ type: 'passkey', role: 'primary' }).expect(201);
      const credential = new SoftwareAuthenticator('https://evil.example').register(enrolled.body.options);
      const refused = await ctx.http.post(`/me/factors/${enrolled.body.factor.id}/verify`).set(auth).send({ credential }).expect(401);
      expect(refused.body.code).toBe('invalid_credential');
    });

    it('refuse an attested credential id the response does not name, or one over 1023 bytes, with invalid_credential (never a 500)', async () => {
      const email = await register(ctx, uniqueEmail('passkey'));
      const auth = bearer((await login(ctx, email)).accessToken);
      const authenticator = new SoftwareAuthenticator(origin);
      const lies = [{ credentialIdBytes: 1100, claimedId: 'c2hvcnQtaWQ' }, { credentialIdBytes: 1024 }];
      for (const ceremony of lies) {
        const enrolled = await ctx.http.post('/me/factors').set(auth).send({ type: 'passkey', role: 'primary' }).expect(201);
        const credential = authenticator.register(enrolled.body.options, ceremony);
        const refused = await ctx.http.post(`/me/factors/${enrolled.body.factor.id}/verify`).set(auth).send({ credential }).expect(401);
        expect(refused.body.code).toBe('invalid_credential');
      }
    });

    it('sign in with the passkey: method passkey and its amr in the token', async () => {
      const customer = await passkeyCustomer();
      const { mfaToken } = await login(ctx, customer.email);
      const challenge = await ctx.http.post('/auth/mfa/challenge').send({ mfaToken, factorId: customer.factorId }).expect(200);
      expect(challenge.body).toMatchObject({ factorId: customer.factorId, type: 'passkey', options: { rpId: new URL(origin).hostname, userVerification: 'preferred' } });
      expect(challenge.body.options.allowCredentials.map((allowed: { id: string }) => allowed.id)).toEqual(customer.authenticator.credentialIds());

      const credential = customer.authenticator.authenticate(challenge.body.options);
      const signedIn = await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.factorId, credential }).expect(200);
      expect(signedIn.body).toMatchObject({ scope: 'session', method: 'passkey', setupRequired: [] });
      expect(claimsOf(signedIn.body.accessToken).amr).toEqual(['pwd', 'mfa', 'pop']);
      await ctx.http.get('/me').set(bearer(signedIn.body.accessToken)).expect(200);
    });

    it('refuse a replayed assertion, in the same sign-in or another', async () => {
      const customer = await passkeyCustomer();
      const first = await passkeyChallenge(customer);
      const assertion = customer.authenticator.authenticate(first.options, { counter: 0 });
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken: first.mfaToken, factorId: customer.factorId, credential: assertion }).expect(200);

      const second = await passkeyChallenge(customer);
      const replayed = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: second.mfaToken, factorId: customer.factorId, credential: assertion }).expect(401);
      expect(replayed.body).toMatchObject({ code: 'invalid_credential', attemptsRemaining: 3 });
      // An assertion for this sign-in's own challenge, once refused, cannot be tried again either.
      const wrong = customer.authenticator.authenticate(second.options, { origin: 'https://evil.example' });
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken: second.mfaToken, factorId: customer.factorId, credential: wrong }).expect(401);
      const late = customer.authenticator.authenticate(second.options);
      const spent = await ctx.http.post('/auth/mfa/verify').send({ mfaToken: second.mfaToken, factorId: customer.factorId, credential: late }).expect(401);
      expect(spent.body.code).toBe('invalid_credential');
    });

    it('count a wrong origin toward the lock like a wrong code', async () => {
      const customer = await passkeyCustomer();
      for (const attemptsRemaining of [3, 2, 1]) {
        const { mfaToken, options } = await passkeyChallenge(customer);
        const credential = customer.authenticator.authenticate(options, { origin: 'https://evil.example' });
        const refused = await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.factorId, credential }).expect(401);
        expect(refused.body).toEqual(expect.objectContaining({ code: 'invalid_credential', attemptsRemaining }));
      }
      const { mfaToken, options } = await passkeyChallenge(customer);
      const credential = customer.authenticator.authenticate(options, { origin: 'https://evil.example' });
      const locked = await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.factorId, credential }).expect(423);
      expect(locked.body.code).toBe('mfa_locked');
      // Locked: not even a good assertion passes now.
      const good = customer.authenticator.authenticate(options);
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.factorId, credential: good }).expect(423);
    });

    it('refuse a bad signature (a flipped bit) and count it toward the lock like a wrong code', async () => {
      const customer = await passkeyCustomer();
      for (const attemptsRemaining of [3, 2]) {
        const { mfaToken, options } = await passkeyChallenge(customer);
        const credential = customer.authenticator.authenticate(options, { tamper: 'signature' });
        const refused = await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.factorId, credential }).expect(401);
        expect(refused.body).toEqual(expect.objectContaining({ code: 'invalid_credential', attemptsRemaining }));
      }
      // A good signature still signs in, and clears the count.
      const { mfaToken, options } = await passkeyChallenge(customer);
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.factorId, credential: customer.authenticator.authenticate(options) }).expect(200);
    });

    it('refuse another account\'s passkey, though its signature is good', async () => {
      const alice = await passkeyCustomer();
      const mallory = await passkeyCustomer();
      const { mfaToken, options } = await passkeyChallenge(alice);
      const credential = mallory.authenticator.authenticate(options, { credentialId: mallory.authenticator.credentialIds()[0] });
      const refused = await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: alice.factorId, credential }).expect(401);
      expect(refused.body.code).toBe('invalid_credential');
    });

    it('answer a malformed credential with invalid_credential, never a 500', async () => {
      const customer = await passkeyCustomer();
      for (const credential of [{}, { id: 'x', rawId: 'x', type: 'public-key', response: { clientDataJSON: '!!' } }]) {
        const { mfaToken } = await passkeyChallenge(customer);
        const refused = await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.factorId, credential }).expect(401);
        expect(refused.body.code).toBe('invalid_credential');
      }
      const { mfaToken } = await passkeyChallenge(customer);
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.factorId, credential: 'not an object' }).expect(400);
    });
  });

  describe('checking an active passkey (channel health)', () => {
    it('a secondary passkey unused for 180 days: /check answers request options, a bad signature counts toward the lock, a good one marks it used', async () => {
      const customer = await enrolledCustomer(ctx);
      const authenticator = new SoftwareAuthenticator(origin);
      const enrolled = await ctx.http.post('/me/factors').set(bearer(customer.accessToken)).send({ type: 'passkey', role: 'secondary' }).expect(201);
      const passkeyId: string = enrolled.body.factor.id;
      await ctx.http.post(`/me/factors/${passkeyId}/verify`).set(bearer(customer.accessToken)).send({ credential: authenticator.register(enrolled.body.options) }).expect(200);

      ctx.clock.advance(181 * 24 * 3600);
      const session = bearer((await signInWithTotp(ctx, customer)).accessToken);
      const stale = await ctx.http.get('/me/factors').set(session).expect(200);
      expect(stale.body.attention).toContainEqual({ factorId: passkeyId, reason: 'not_used_recently' });

      const check = async () => (await ctx.http.post(`/me/factors/${passkeyId}/check`).set(session).expect(202)).body.options;
      const options = await check();
      expect(options).toMatchObject({ rpId: new URL(origin).hostname, allowCredentials: [{ id: authenticator.credentialIds()[0] }] });
      const tampered = await ctx.http.post(`/me/factors/${passkeyId}/verify`).set(session).send({ credential: authenticator.authenticate(options, { tamper: 'signature' }) }).expect(401);
      expect(tampered.body).toMatchObject({ code: 'invalid_credential', attemptsRemaining: 3 });

      // A sign-in's options do not answer a check: each challenge is bound to its own ceremony.
      const { options: signInOptions } = await passkeyChallenge({ email: customer.email, factorId: passkeyId });
      await ctx.http.post(`/me/factors/${passkeyId}/verify`).set(session).send({ credential: authenticator.authenticate(signInOptions) }).expect(401);

      const checked = await ctx.http.post(`/me/factors/${passkeyId}/verify`).set(session).send({ credential: authenticator.authenticate(await check()) }).expect(200);
      expect(checked.body.factor).toMatchObject({ id: passkeyId, type: 'passkey', status: 'active', role: 'secondary' });
      expect(new Date(checked.body.factor.lastUsedAt).getTime()).toBeGreaterThan(Date.now() + 180 * 24 * 3600_000);
      expect(checked.body.attention).not.toContainEqual(expect.objectContaining({ factorId: passkeyId }));
    });
  });

  describe('staff', () => {
    it('may also enrol a passkey as their primary at the first sign-in', async () => {
      const created = await createStaff(ctx, 'agent');
      const login = await ctx.http.post('/admin/auth/login').send({ email: created.email, password: created.setupPassword }).expect(200);
      const enroll = bearer(login.body.accessToken);
      const enrolled = await ctx.http.post('/admin/me/factors').set(enroll).send({ type: 'passkey', role: 'primary' }).expect(201);
      const credential = new SoftwareAuthenticator(origin).register(enrolled.body.options);
      const done = await ctx.http.post(`/admin/me/factors/${enrolled.body.factor.id}/verify`).set(enroll).send({ credential }).expect(200);
      expect(done.body).toMatchObject({ complete: true, factor: { type: 'passkey', role: 'primary', status: 'active' }, tokens: { scope: 'session' } });
      expect(done.body.recoveryCodes).toHaveLength(10);
    });

    it('add a passkey after the first TOTP enrolment, make it primary and sign in with it', async () => {
      const staff = await signedInStaff(ctx, 'agent');
      const auth = bearer(staff.accessToken);
      const authenticator = new SoftwareAuthenticator(origin);
      const enrolled = await ctx.http.post('/admin/me/factors').set(auth).send({ type: 'passkey', role: 'secondary', label: 'Desk key' }).expect(201);
      await ctx.http.post(`/admin/me/factors/${enrolled.body.factor.id}/verify`).set(auth).send({ credential: authenticator.register(enrolled.body.options) }).expect(200);
      const swapped = await ctx.http.patch(`/admin/me/factors/${enrolled.body.factor.id}`).set(auth).send({ role: 'primary' }).expect(200);
      expect(swapped.body.factors).toEqual(expect.arrayContaining([
        expect.objectContaining({ id: enrolled.body.factor.id, type: 'passkey', role: 'primary', hint: 'Passkey · Desk key' }),
        expect.objectContaining({ id: staff.factorId, type: 'totp', role: 'secondary' }),
      ]));

      const loggedIn = await ctx.http.post('/admin/auth/login').send({ email: staff.email, password: staff.password }).expect(200);
      expect(loggedIn.body.defaultFactorId).toBe(enrolled.body.factor.id);
      const challenge = await ctx.http.post('/admin/auth/mfa/challenge').send({ mfaToken: loggedIn.body.mfaToken, factorId: enrolled.body.factor.id }).expect(200);
      expect(challenge.body.type).toBe('passkey');
      const credential = authenticator.authenticate(challenge.body.options);
      const signedIn = await ctx.http.post('/admin/auth/mfa/verify').send({ mfaToken: loggedIn.body.mfaToken, factorId: enrolled.body.factor.id, credential }).expect(200);
      expect(signedIn.body).toMatchObject({ scope: 'session', method: 'passkey' });
      expect(claimsOf(signedIn.body.accessToken)).toMatchObject({ aud: 'staff', amr: ['pwd', 'mfa', 'pop'] });
      await ctx.http.get('/admin/customers').set(bearer(signedIn.body.accessToken)).expect(200);
      // The authenticator app still works as the other factor.
      await staffSignIn(ctx, staff);
    });
  });
});
