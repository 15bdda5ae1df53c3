import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { CryptoRandomSource, FactorEntity, TWO_FACTOR_ENTITIES, TWO_FACTOR_MIGRATIONS } from '@app/twofactor';
import { FixedClock, transactionHostOver } from '@app/twofactor/testing';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { DataSource } from 'typeorm';
import { PASSKEY_MIGRATIONS } from './migrations';
import { PasskeyFactor } from './passkey.factor';
import { validatePasskeysOptions } from './passkeys.options';
import { AssertionCeremony, SoftwareAuthenticator } from './testing/software-authenticator';

const origin = 'https://twofold.example';
const REFUSED = { result: 'invalid', errorCode: 'invalid_credential' };

describe(PasskeyFactor.name, () => {
  let pglite: PGlite;
  let db: DataSource;
  const clock = new FixedClock(new Date('2026-03-01T09:00:00Z'));
  let passkeys: PasskeyFactor;

  beforeAll(async () => {
    pglite = await PGlite.create();
    // The library's migrations, then this module's own on top, as a host app runs them.
    db = new DataSource({
      type: 'postgres', entities: TWO_FACTOR_ENTITIES, migrations: [...TWO_FACTOR_MIGRATIONS, ...PASSKEY_MIGRATIONS], migrationsTransactionMode: 'each',
      uuidExtension: 'pgcrypto', installExtensions: false, poolSize: 1, extra: createPgConfig(pglite),
    } as never);
    await db.initialize();
    await db.runMigrations();
    passkeys = new PasskeyFactor(
      validatePasskeysOptions({ rpId: 'twofold.example', rpName: 'Twofold', origins: [origin, 'https://account.twofold.example'] }),
      new CryptoRandomSource(),
      clock,
      transactionHostOver(db),
    );
  });
  afterAll(async () => {
    await db.destroy();
    await pglite.close();
  });

  /** A new pending passkey factor for a subject, as the library saves it before calling enrol(). */
  async function pendingFactor(subjectId: string = randomUUID()): Promise<FactorEntity> {
    return db.manager.save(db.manager.create(FactorEntity, { realm: 'customer', subjectId, type: 'passkey', role: 'primary', status: 'pending', createdAt: clock.now() }));
  }

  async function enrol(factor: FactorEntity, label?: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const { result } = await passkeys.enrol(factor, { email: 'jane@example.com', label });
    return result.options as PublicKeyCredentialCreationOptionsJSON;
  }

  /** A subject with an active passkey held by `authenticator`. */
  async function activeFactor(authenticator: SoftwareAuthenticator, subjectId?: string): Promise<FactorEntity> {
    const factor = await pendingFactor(subjectId);
    const credential = { ...authenticator.register(await enrol(factor)) };
    expect(await passkeys.verify(factor, { credential }, null)).toEqual({ result: 'ok' });
    await db.manager.update(FactorEntity, { id: factor.id }, { status: 'active' });
    return factor;
  }

  /** A pending sign-in of the factor's subject (the library's row), and the passkey options for it. */
  async function signIn(factor: FactorEntity): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
    const [{ id }] = (await db.query(
      `INSERT INTO mfa_challenges (realm, subject_id, token_hash, created_at, expires_at, auth_time) VALUES ($1, $2, $3, $4, $4, $4) RETURNING id`,
      [factor.realm, factor.subjectId, createHash('sha256').update(randomUUID()).digest('hex'), clock.now()],
    )) as { id: string }[];
    const { options } = await passkeys.challengeOptions(factor, id);
    return { challengeId: id, options: options as PublicKeyCredentialRequestOptionsJSON };
  }

  async function counterOf(factor: FactorEntity): Promise<number> {
    const [row] = (await db.query(`SELECT counter FROM passkey_credentials WHERE factor_id = $1`, [factor.id])) as { counter: string }[];
    return Number(row.counter);
  }

  describe('enrolment', () => {
    it('offers creation options: a fresh challenge of 32 bytes, no attestation, ES256 and RS256, discoverable allowed', async () => {
      const options = await enrol(await pendingFactor());
      expect(Buffer.from(options.challenge, 'base64url')).toHaveLength(32);
      expect(options).toMatchObject({
        rp: { id: 'twofold.example', name: 'Twofold' },
        user: { name: 'jane@example.com' },
        attestation: 'none',
        pubKeyCredParams: [{ alg: -7, type: 'public-key' }, { alg: -257, type: 'public-key' }],
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
        timeout: 300_000,
        excludeCredentials: [],
      });
      expect(Buffer.from(options.user.id, 'base64url').toString()).not.toContain('jane');
    });

    it('confirms with a good registration, and then excludes that credential and keeps the subject\'s user handle', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      const first = await activeFactor(authenticator);
      const again = await enrol(await pendingFactor(first.subjectId));
      expect(again.excludeCredentials?.map((excluded) => excluded.id)).toEqual(authenticator.credentialIds());
      const firstHandle = ((await db.query(`SELECT user_handle FROM passkey_credentials WHERE factor_id = $1`, [first.id])) as { user_handle: string }[])[0].user_handle;
      expect(again.user.id).toBe(firstHandle);
      expect((await enrol(await pendingFactor())).user.id).not.toBe(firstHandle);
    });

    it('refuses a registration from another origin, for another RP id, of the wrong type, or replayed', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      for (const ceremony of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }, { type: 'webauthn.get' }]) {
        const factor = await pendingFactor();
        const credential = { ...authenticator.register(await enrol(factor), ceremony) };
        expect(await passkeys.verify(factor, { credential }, null)).toEqual(REFUSED);
      }
      const factor = await pendingFactor();
      const credential = { ...authenticator.register(await enrol(factor)) };
      expect(await passkeys.verify(factor, { credential }, null)).toEqual({ result: 'ok' });
      expect(await passkeys.verify(factor, { credential }, null)).toEqual(REFUSED);
    });

    it('refuses a registration answering another factor\'s challenge, or after five minutes', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      const options = await enrol(await pendingFactor());
      const other = await pendingFactor();
      await enrol(other);
      expect(await passkeys.verify(other, { credential: { ...authenticator.register(options) } }, null)).toEqual(REFUSED);

      const late = await pendingFactor();
      const lateOptions = await enrol(late);
      clock.advance(300_000);
      expect(await passkeys.verify(late, { credential: { ...authenticator.register(lateOptions) } }, null)).toEqual(REFUSED);
    });

    it('refuses a registration without user presence, and accepts one without user verification ("preferred")', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      const absent = await pendingFactor();
      expect(await passkeys.verify(absent, { credential: { ...authenticator.register(await enrol(absent), { userPresent: false }) } }, null)).toEqual(REFUSED);
      const unverified = await pendingFactor();
      expect(await passkeys.verify(unverified, { credential: { ...authenticator.register(await enrol(unverified), { userVerified: false }) } }, null)).toEqual({ result: 'ok' });
    });

    it('answers invalid_credential, never an exception, to bodies that are not registration responses', async () => {
      const factor = await pendingFactor();
      const good = new SoftwareAuthenticator(origin).register(await enrol(factor));
      const malformed: unknown[] = [
        undefined, null, 'credential', [], {}, { ...good, id: 5 }, { ...good, type: 'password' }, { ...good, rawId: 'other' },
        { ...good, response: null }, { ...good, response: { ...good.response, clientDataJSON: 'not json!' } },
        { ...good, response: { ...good.response, clientDataJSON: Buffer.from('{"challenge":7}').toString('base64url') } },
        { ...good, response: { ...good.response, attestationObject: Buffer.from('junk').toString('base64url') } },
      ];
      for (const credential of malformed) {
        await expect(passkeys.verify(factor, { credential: credential as Record<string, unknown> }, null)).resolves.toEqual(REFUSED);
      }
      // A code instead of a credential is refused the same way.
      await expect(passkeys.verify(factor, { code: '123456' }, null)).resolves.toEqual(REFUSED);
    });

    it('stores a credential id of up to 1023 bytes and refuses a longer one, or one the response does not name', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      const longest = await pendingFactor();
      const accepted = authenticator.register(await enrol(longest), { credentialIdBytes: 1023 });
      expect(await passkeys.verify(longest, { credential: { ...accepted } }, null)).toEqual({ result: 'ok' });

      // 1024 bytes: its base64url (1366 characters) still fits the column, but WebAuthn allows no such id.
      const tooLong = await pendingFactor();
      const refused = authenticator.register(await enrol(tooLong), { credentialIdBytes: 1024 });
      expect(await passkeys.verify(tooLong, { credential: { ...refused } }, null)).toEqual(REFUSED);

      // The reviewer's case: a short id named, a 1100-byte one attested (too long for the column).
      const mismatched = await pendingFactor();
      const credential = authenticator.register(await enrol(mismatched), { credentialIdBytes: 1100, claimedId: randomBytes(16).toString('base64url') });
      expect(await passkeys.verify(mismatched, { credential: { ...credential } }, null)).toEqual(REFUSED);
      const other = await pendingFactor();
      const renamed = authenticator.register(await enrol(other), { claimedId: randomBytes(16).toString('base64url') });
      expect(await passkeys.verify(other, { credential: { ...renamed } }, null)).toEqual(REFUSED);
      expect(await db.query(`SELECT 1 FROM passkey_credentials WHERE factor_id = ANY($1::uuid[])`, [[tooLong.id, mismatched.id, other.id]])).toHaveLength(0);
    });

    it('refuses a public key larger than 2 KiB', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      const small = await pendingFactor();
      expect(await passkeys.verify(small, { credential: { ...authenticator.register(await enrol(small), { publicKeyPadding: 1900 }) } }, null)).toEqual({ result: 'ok' });
      const large = await pendingFactor();
      expect(await passkeys.verify(large, { credential: { ...authenticator.register(await enrol(large), { publicKeyPadding: 2048 }) } }, null)).toEqual(REFUSED);
    });

    it('shows its label in the hint, made one printable line', async () => {
      const factor = await pendingFactor();
      await enrol(factor, '  Work\u0000 laptop\n ');
      expect(passkeys.hint(factor)).toBe('Passkey · Work laptop');
      expect(passkeys.hint(await db.manager.findOneByOrFail(FactorEntity, { id: factor.id }))).toBe('Passkey · Work laptop');
      const unnamed = await pendingFactor();
      await enrol(unnamed);
      expect(passkeys.hint(unnamed)).toBe('Passkey');
    });
  });

  describe('sign-in', () => {
    it('accepts a good assertion once, allowing only this factor\'s credential, and advances the counter', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      const factor = await activeFactor(authenticator);
      const { challengeId, options } = await signIn(factor);
      expect(options).toMatchObject({ rpId: 'twofold.example', userVerification: 'preferred', allowCredentials: [{ id: authenticator.credentialIds()[0], type: 'public-key' }] });
      expect(Buffer.from(options.challenge, 'base64url')).toHaveLength(32);
      const credential = { ...authenticator.authenticate(options) };
      expect(await passkeys.verify(factor, { credential }, challengeId)).toEqual({ result: 'ok' });
      expect(await counterOf(factor)).toBe(1);
      expect((await db.manager.findOneByOrFail(FactorEntity, { id: factor.id })).lastUsedAt).toEqual(clock.now());
      // The same assertion again: its challenge is spent.
      expect(await passkeys.verify(factor, { credential }, challengeId)).toEqual(REFUSED);
    });

    it('refuses a replayed assertion even from a passkey whose counter stays at 0', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      const factor = await activeFactor(authenticator);
      const { challengeId, options } = await signIn(factor);
      const credential = { ...authenticator.authenticate(options, { counter: 0 }) };
      expect(await passkeys.verify(factor, { credential }, challengeId)).toEqual({ result: 'ok' });
      expect(await passkeys.verify(factor, { credential }, challengeId)).toEqual(REFUSED);
    });

    it('refuses an assertion from another origin or for another RP id, and spends the challenge doing so', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      const factor = await activeFactor(authenticator);
      for (const ceremony of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }, { type: 'webauthn.create' }]) {
        const { challengeId, options } = await signIn(factor);
        expect(await passkeys.verify(factor, { credential: { ...authenticator.authenticate(options, ceremony) } }, challengeId)).toEqual(REFUSED);
        expect(await passkeys.verify(factor, { credential: { ...authenticator.authenticate(options) } }, challengeId)).toEqual(REFUSED);
      }
    });

    it('accepts an assertion from any configured origin', async () => {
      const authenticator = new SoftwareAuthenticator('https://account.twofold.example');
      const factor = await activeFactor(authenticator);
      const { challengeId, options } = await signIn(factor);
      expect(await passkeys.verify(factor, { credential: { ...authenticator.authenticate(options) } }, challengeId)).toEqual({ result: 'ok' });
    });

    it('refuses another account\'s credential, though its signature is good', async () => {
      const alice = new SoftwareAuthenticator(origin);
      const mallory = new SoftwareAuthenticator(origin);
      const aliceFactor = await activeFactor(alice);
      await activeFactor(mallory);
      const { challengeId, options } = await signIn(aliceFactor);
      const foreign = { ...mallory.authenticate(options, { credentialId: mallory.credentialIds()[0] }) };
      expect(await passkeys.verify(aliceFactor, { credential: foreign }, challengeId)).toEqual(REFUSED);
    });

    it('refuses a signature counter that went backwards (a cloned authenticator)', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      const factor = await activeFactor(authenticator);
      let { challengeId, options } = await signIn(factor);
      expect(await passkeys.verify(factor, { credential: { ...authenticator.authenticate(options, { counter: 5 }) } }, challengeId)).toEqual({ result: 'ok' });
      ({ challengeId, options } = await signIn(factor));
      expect(await passkeys.verify(factor, { credential: { ...authenticator.authenticate(options, { counter: 3 }) } }, challengeId)).toEqual(REFUSED);
      expect(await counterOf(factor)).toBe(5);
    });

    it('accepts a counter that stays at 0, as synced passkeys report', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      const factor = await activeFactor(authenticator);
      for (let i = 0; i < 2; i++) {
        const { challengeId, options } = await signIn(factor);
        expect(await passkeys.verify(factor, { credential: { ...authenticator.authenticate(options, { counter: 0 }) } }, challengeId)).toEqual({ result: 'ok' });
      }
    });

    it('refuses an assertion for another sign-in\'s challenge, or one past five minutes', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      const factor = await activeFactor(authenticator);
      const first = await signIn(factor);
      const second = await signIn(factor);
      expect(await passkeys.verify(factor, { credential: { ...authenticator.authenticate(first.options) } }, second.challengeId)).toEqual(REFUSED);

      const late = await signIn(factor);
      clock.advance(300_000);
      expect(await passkeys.verify(factor, { credential: { ...authenticator.authenticate(late.options) } }, late.challengeId)).toEqual(REFUSED);
    });

    it.each<[string, AssertionCeremony]>([
      ['a flipped signature bit', { tamper: 'signature' }],
      ['authenticatorData changed after signing (the counter)', { tamper: 'authenticatorData' }],
      ['clientDataJSON changed after signing', { tamper: 'clientDataJSON' }],
      ['the right credential id signed with another key', { signWithAnotherKey: true }],
      ['user presence not asserted', { userPresent: false }],
    ])('refuses %s, and the counter stays put', async (_, ceremony) => {
      const authenticator = new SoftwareAuthenticator(origin);
      const factor = await activeFactor(authenticator);
      const { challengeId, options } = await signIn(factor);
      expect(await passkeys.verify(factor, { credential: { ...authenticator.authenticate(options, ceremony) } }, challengeId)).toEqual(REFUSED);
      expect(await counterOf(factor)).toBe(0);
    });

    it('accepts an assertion without user verification (the policy is "preferred") and one without userHandle (a non-discoverable key)', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      const factor = await activeFactor(authenticator);
      for (const ceremony of [{ userVerified: false }, { withoutUserHandle: true }]) {
        const { challengeId, options } = await signIn(factor);
        expect(await passkeys.verify(factor, { credential: { ...authenticator.authenticate(options, ceremony) } }, challengeId)).toEqual({ result: 'ok' });
      }
    });

    it('accepts an RS256 key (Windows Hello), and refuses its assertion once tampered with', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      const factor = await pendingFactor();
      const credential = { ...authenticator.register(await enrol(factor), { algorithm: 'RS256' }) };
      expect(await passkeys.verify(factor, { credential }, null)).toEqual({ result: 'ok' });
      await db.manager.update(FactorEntity, { id: factor.id }, { status: 'active' });
      let { challengeId, options } = await signIn(factor);
      expect(await passkeys.verify(factor, { credential: { ...authenticator.authenticate(options, { tamper: 'signature' }) } }, challengeId)).toEqual(REFUSED);
      ({ challengeId, options } = await signIn(factor));
      expect(await passkeys.verify(factor, { credential: { ...authenticator.authenticate(options) } }, challengeId)).toEqual({ result: 'ok' });
    });

    it('checks the active factor outside any sign-in: options bound to the check, answered with no challenge id', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      const factor = await activeFactor(authenticator);
      factor.status = 'active';
      const check = async () => (await passkeys.challengeOptions(factor, null)).options as PublicKeyCredentialRequestOptionsJSON;
      const options = await check();
      expect(options).toMatchObject({ rpId: 'twofold.example', allowCredentials: [{ id: authenticator.credentialIds()[0] }] });
      // Not a sign-in's: a sign-in cannot spend the check's challenge, nor the check a sign-in's.
      const { challengeId, options: signInOptions } = await signIn(factor);
      expect(await passkeys.verify(factor, { credential: { ...authenticator.authenticate(options) } }, challengeId)).toEqual(REFUSED);
      expect(await passkeys.verify(factor, { credential: { ...authenticator.authenticate(signInOptions) } }, null)).toEqual(REFUSED);
      const credential = { ...authenticator.authenticate(await check()) };
      expect(await passkeys.verify(factor, { credential }, null)).toEqual({ result: 'ok' });
      expect(await passkeys.verify(factor, { credential }, null)).toEqual(REFUSED);
      expect(await passkeys.verify(factor, { credential: { ...authenticator.authenticate(await check(), { tamper: 'signature' }) } }, null)).toEqual(REFUSED);
    });

    it('refuses a user handle that is not the credential\'s', async () => {
      const authenticator = new SoftwareAuthenticator(origin);
      const factor = await activeFactor(authenticator);
      const { challengeId, options } = await signIn(factor);
      const assertion = authenticator.authenticate(options);
      const credential = { ...assertion, response: { ...assertion.response, userHandle: Buffer.from('someone else').toString('base64url') } };
      expect(await passkeys.verify(factor, { credential }, challengeId)).toEqual(REFUSED);
    });
  });
});

describe(validatePasskeysOptions.name, () => {
  it('fills in the default challenge lifetime', () => {
    expect(validatePasskeysOptions({ rpId: 'localhost', rpName: 'Twofold', origins: ['http://localhost:3000'] })).toEqual({
      rpId: 'localhost', rpName: 'Twofold', origins: ['http://localhost:3000'], challengeTtlSeconds: 300,
    });
  });

  it.each([
    [{ rpId: 'https://example.com', rpName: 'T', origins: ['https://example.com'] }, /rpId/],
    [{ rpId: 'example.com', rpName: ' ', origins: ['https://example.com'] }, /rpName/],
    [{ rpId: 'example.com', rpName: 'T', origins: [] }, /at least one/],
    [{ rpId: 'example.com', rpName: 'T', origins: ['https://example.com/path'] }, /scheme, host/],
    [{ rpId: 'example.com', rpName: 'T', origins: ['https://example.org'] }, /not on the RP id/],
    [{ rpId: 'example.com', rpName: 'T', origins: ['https://notexample.com'] }, /not on the RP id/],
    [{ rpId: 'example.com', rpName: 'T', origins: ['http://example.com'] }, /https/],
    [{ rpId: 'example.com', rpName: 'T', origins: ['https://example.com'], challengeTtlSeconds: 0 }, /challengeTtlSeconds/],
  ])('refuses %j', (options, problem) => {
    expect(() => validatePasskeysOptions(options)).toThrow(problem);
  });
});
