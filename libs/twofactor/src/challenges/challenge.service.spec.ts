import { randomUUID } from 'node:crypto';
import { TwoFactorError } from '../errors/two-factor.errors';
import { inMemoryTwoFactor, InMemoryTwoFactor } from '../testing/in-memory-two-factor';

const client = { ip: '127.0.0.1', userAgent: 'jest' };

async function codeOf(error: Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await error;
  } catch (caught) {
    if (caught instanceof TwoFactorError) return { code: caught.code, details: caught.details };
    throw caught;
  }
  throw new Error('expected a TwoFactorError');
}

describe('ChallengeService (the sign-in state machine)', () => {
  let tf: InMemoryTwoFactor;
  let subjectId: string;
  let totpId: string;
  let secret: string;
  let emailId: string;

  beforeAll(async () => {
    tf = await inMemoryTwoFactor({ lockThreshold: 6 });
  });
  afterAll(() => tf.close());

  beforeEach(async () => {
    subjectId = randomUUID();
    const subject = { realm: 'customer' as const, subjectId };
    const totp = await tf.factors.enrol(subject, { type: 'totp', role: 'primary', email: `${subjectId}@example.com` }, { recentSecondFactor: false });
    totpId = totp.factor.id;
    secret = totp.secret as string;
    await tf.factors.confirm(subject, totpId, { code: await tf.totp.generate(secret, tf.clock.now()) }, { recentSecondFactor: false });
    const email = await tf.factors.enrol(subject, { type: 'email', role: 'secondary', email: `${subjectId}@example.com` }, { recentSecondFactor: true });
    emailId = email.factor.id;
    await tf.factors.confirm(subject, emailId, { code: tf.outbox.lastCode() }, { recentSecondFactor: true });
    tf.clock.advance(30_000);
  });

  it('offers the active factors, primary first, with the primary as default', async () => {
    const challenge = await tf.challenges.begin('customer', subjectId, client);
    expect(challenge.factors.map((f) => f.type)).toEqual(['totp', 'email']);
    expect(challenge.defaultFactorId).toBe(totpId);
    expect(challenge.recoveryCodesRemaining).toBe(10);
    expect(challenge.expiresAt.getTime() - tf.clock.now().getTime()).toBe(300_000);
  });

  it('completes once with a right TOTP code; the token is then spent', async () => {
    const { mfaToken } = await tf.challenges.begin('customer', subjectId, client);
    const code = await tf.totp.generate(secret, tf.clock.now());
    await expect(tf.challenges.verify('customer', mfaToken, { factorId: totpId, code }, client)).resolves.toMatchObject({ method: 'totp', subjectId });
    expect((await codeOf(tf.challenges.verify('customer', mfaToken, { factorId: totpId, code }, client))).code).toBe('mfa_token_invalid');
    expect(tf.events.types()).toContain('mfa.succeeded');
  });

  it('accepts an mfaToken only on its own realm\'s routes', async () => {
    const { mfaToken } = await tf.challenges.begin('customer', subjectId, client);
    const code = await tf.totp.generate(secret, tf.clock.now());
    expect((await codeOf(tf.challenges.verify('staff', mfaToken, { factorId: totpId, code }, client))).code).toBe('mfa_token_invalid');
    await expect(tf.challenges.verify('customer', mfaToken, { factorId: totpId, code }, client)).resolves.toBeDefined();
  });

  it('expires the mfaToken after its lifetime', async () => {
    const { mfaToken } = await tf.challenges.begin('customer', subjectId, client);
    tf.clock.advance(301_000);
    const code = await tf.totp.generate(secret, tf.clock.now());
    expect((await codeOf(tf.challenges.verify('customer', mfaToken, { factorId: totpId, code }, client))).code).toBe('mfa_token_invalid');
  });

  it('ties a sent code to the challenge that asked for it', async () => {
    const first = await tf.challenges.begin('customer', subjectId, client);
    const second = await tf.challenges.begin('customer', subjectId, client);
    await tf.challenges.challenge('customer', first.mfaToken, emailId);
    const code = tf.outbox.lastCode();
    expect((await codeOf(tf.challenges.verify('customer', second.mfaToken, { factorId: emailId, code }, client))).code).toBe('code_expired');
    await expect(tf.challenges.verify('customer', first.mfaToken, { factorId: emailId, code }, client)).resolves.toMatchObject({ method: 'email' });
  });

  it('enforces the resend cooldown and then replaces the old code', async () => {
    const { mfaToken } = await tf.challenges.begin('customer', subjectId, client);
    await tf.challenges.challenge('customer', mfaToken, emailId);
    const oldCode = tf.outbox.lastCode();
    tf.clock.advance(10_000);
    expect(await codeOf(tf.challenges.challenge('customer', mfaToken, emailId))).toEqual({ code: 'resend_too_soon', details: { retryAfter: 20 } });
    tf.clock.advance(20_000);
    await tf.challenges.challenge('customer', mfaToken, emailId);
    const newCode = tf.outbox.lastCode();
    if (newCode !== oldCode) {
      expect((await codeOf(tf.challenges.verify('customer', mfaToken, { factorId: emailId, code: oldCode }, client))).code).toBe('invalid_code');
    }
    await expect(tf.challenges.verify('customer', mfaToken, { factorId: emailId, code: newCode }, client)).resolves.toBeDefined();
  });

  it('caps sends per factor per hour across sign-ins (the enrolment code counts too)', async () => {
    for (let i = 0; i < 4; i++) {
      const { mfaToken } = await tf.challenges.begin('customer', subjectId, client);
      await tf.challenges.challenge('customer', mfaToken, emailId);
      tf.clock.advance(31_000);
    }
    const { mfaToken } = await tf.challenges.begin('customer', subjectId, client);
    const refused = await codeOf(tf.challenges.challenge('customer', mfaToken, emailId));
    expect(refused.code).toBe('resend_too_soon');
    expect(refused.details.retryAfter).toBeGreaterThan(3000);
  });

  it('counts failures per token and per account, locks at the threshold and refuses even a right code while locked', async () => {
    const first = await tf.challenges.begin('customer', subjectId, client);
    const remaining: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      remaining.push((await codeOf(tf.challenges.verify('customer', first.mfaToken, { factorId: totpId, code: '000000' }, client))).details.attemptsRemaining);
    }
    // min(token budget 5, account budget 6) shrinks with each wrong code.
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const second = await tf.challenges.begin('customer', subjectId, client);
    const locked = await codeOf(tf.challenges.verify('customer', second.mfaToken, { factorId: totpId, code: '000000' }, client));
    expect(locked).toEqual({ code: 'mfa_locked', details: { retryAfter: 900 } });
    expect(tf.events.types()).toContain('mfa.locked');

    const right = await tf.totp.generate(secret, tf.clock.now());
    expect((await codeOf(tf.challenges.verify('customer', second.mfaToken, { factorId: totpId, code: right }, client))).code).toBe('mfa_locked');
    expect((await codeOf(tf.challenges.begin('customer', subjectId, client))).code).toBe('mfa_locked');

    tf.clock.advance(901_000);
    const third = await tf.challenges.begin('customer', subjectId, client);
    await expect(tf.challenges.verify('customer', third.mfaToken, { factorId: totpId, code: await tf.totp.generate(secret, tf.clock.now()) }, client)).resolves.toBeDefined();
  });

  it('does not count a code_expired answer as a failure', async () => {
    const failures = () => tf.events.types().filter((t) => t === 'mfa.failed').length;
    const before = failures();
    const { mfaToken } = await tf.challenges.begin('customer', subjectId, client);
    expect((await codeOf(tf.challenges.verify('customer', mfaToken, { factorId: emailId, code: '123456' }, client))).code).toBe('code_expired');
    expect(failures()).toBe(before);
  });

  describe('a password reset challenge', () => {
    const reset = () => ({ purpose: 'password_reset' as const, resetTokenId: randomUUID() });

    it('offers no email factor and refuses one, at challenge and at verify', async () => {
      const challenge = await tf.challenges.begin('customer', subjectId, client, reset());
      expect(challenge.factors.map((f) => f.type)).toEqual(['totp']);
      expect(challenge.defaultFactorId).toBe(totpId);
      expect((await codeOf(tf.challenges.challenge('customer', challenge.mfaToken, emailId))).code).toBe('factor_not_found');
      const answer = { factorId: emailId, code: '123456' };
      expect((await codeOf(tf.challenges.verify('customer', challenge.mfaToken, answer, client, { purpose: 'password_reset' }))).code).toBe('factor_not_found');
    });

    it('is completed only as a reset, names its token, and a sign-in token is not one', async () => {
      const scope = reset();
      const { mfaToken } = await tf.challenges.begin('customer', subjectId, client, scope);
      const signIn = await tf.challenges.begin('customer', subjectId, client);
      expect(await tf.challenges.purposeOf('customer', mfaToken)).toBe('password_reset');
      expect(await tf.challenges.purposeOf('customer', signIn.mfaToken)).toBe('login');
      expect(await tf.challenges.purposeOf('customer', 'mfa_unknown')).toBeNull();
      const code = await tf.totp.generate(secret, tf.clock.now());
      expect((await codeOf(tf.challenges.verify('customer', mfaToken, { factorId: totpId, code }, client))).code).toBe('mfa_token_invalid');
      expect((await codeOf(tf.challenges.verify('customer', signIn.mfaToken, { factorId: totpId, code }, client, { purpose: 'password_reset' }))).code).toBe(
        'mfa_token_invalid',
      );
      await expect(tf.challenges.verify('customer', mfaToken, { factorId: totpId, code }, client, { purpose: 'password_reset' })).resolves.toMatchObject({
        resetTokenId: scope.resetTokenId,
      });
    });

    it('undoes the whole answer when the work done with it fails', async () => {
      const { mfaToken } = await tf.challenges.begin('customer', subjectId, client, reset());
      const code = await tf.totp.generate(secret, tf.clock.now());
      const failing = () => Promise.reject(new TwoFactorError('mfa_token_invalid'));
      const answer = { factorId: totpId, code };
      expect((await codeOf(tf.challenges.verify('customer', mfaToken, answer, client, { purpose: 'password_reset' }, failing))).code).toBe('mfa_token_invalid');
      // The TOTP step and the challenge were given back with the rollback.
      let ran = false;
      await tf.challenges.verify('customer', mfaToken, answer, client, { purpose: 'password_reset' }, () => Promise.resolve(void (ran = true)));
      expect(ran).toBe(true);
    });
  });
});
