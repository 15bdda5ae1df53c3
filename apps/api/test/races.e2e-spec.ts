import { DataSource } from 'typeorm';
import { currentTotp, enrolledCustomer, login, nextTotpStep } from './support/journeys';
import { describeOnPostgres } from './support/on-postgres';
import { startTestApp, TestContext } from './support/test-app';

/**
 * One-time means one time even under concurrency: the database settles it with conditional UPDATEs,
 * so these hold across API instances too. Only on PostgreSQL (TEST_DATABASE_URL), where the ten
 * requests really run at once on separate connections; on embedded PGlite they would queue.
 */
describeOnPostgres('Races on one-time codes', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await startTestApp();
  });
  afterAll(() => ctx?.close());

  const statuses = (results: { status: number }[]) => results.map((res) => res.status).sort();

  it('accepts the same TOTP code on exactly one of 10 simultaneous logins', async () => {
    const customer = await enrolledCustomer(ctx);
    nextTotpStep(ctx);
    const logins = await Promise.all(Array.from({ length: 10 }, () => login(ctx, customer.email)));
    const code = currentTotp(ctx, customer.totpSecret);
    const before = await recordedFor(customer.email);
    const results = await Promise.all(
      logins.map(({ mfaToken }) => ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, code })),
    );
    expect(statuses(results)).toEqual([200, ...Array(9).fill(401)]);
    for (const res of results.filter((r) => r.status === 401)) expect(res.body.code).toBe('invalid_code');
    // The session rides in the winner's write: the nine that lost the step open none, and record their failures.
    const after = await recordedFor(customer.email);
    expect({ sessions: after.sessions - before.sessions, succeeded: after.succeeded - before.succeeded, failed: after.failed - before.failed })
      .toEqual({ sessions: 1, succeeded: 1, failed: 9 });
  });

  it('accepts the same recovery code on exactly one of 10 simultaneous logins', async () => {
    const customer = await enrolledCustomer(ctx);
    const logins = await Promise.all(Array.from({ length: 10 }, () => login(ctx, customer.email)));
    const before = await recordedFor(customer.email);
    const results = await Promise.all(
      logins.map(({ mfaToken }) => ctx.http.post('/auth/mfa/verify').send({ mfaToken, recoveryCode: customer.recoveryCodes[3] })),
    );
    expect(statuses(results)).toEqual([200, ...Array(9).fill(401)]);
    expect(results.find((r) => r.status === 200)!.body.recoveryCodesRemaining).toBe(9);
    // The winner's audit rows and notice ride in its write; the nine that lost the code leave none behind.
    const after = await recordedFor(customer.email);
    expect({
      used: after.used - before.used, succeeded: after.succeeded - before.succeeded, notices: after.notices - before.notices, sessions: after.sessions - before.sessions,
    }).toEqual({ used: 1, succeeded: 1, notices: 1, sessions: 1 });
  });

  /** A customer's recovery-code audit events, sign-in successes and failures, notices and logins so far. */
  async function recordedFor(email: string): Promise<{ used: number; succeeded: number; failed: number; notices: number; sessions: number }> {
    const [row] = await ctx.app.get(DataSource).query(
      `SELECT (SELECT count(*)::int FROM audit_events WHERE subject_id = c.id AND type = 'recovery_code.used') AS used,
              (SELECT count(*)::int FROM audit_events WHERE subject_id = c.id AND type = 'mfa.succeeded') AS succeeded,
              (SELECT count(*)::int FROM audit_events WHERE subject_id = c.id AND type = 'mfa.failed') AS failed,
              (SELECT count(*)::int FROM sessions WHERE subject_id = c.id AND realm = 'customer') AS sessions,
              (SELECT count(*)::int FROM message_deliveries WHERE subject_id = c.id AND purpose = 'notice') AS notices
       FROM customers c WHERE c.email = $1`,
      [email],
    );
    return row;
  }

  it('rotates a refresh token once when it is used twice at the same moment', async () => {
    const customer = await enrolledCustomer(ctx);
    const results = await Promise.all([0, 1].map(() => ctx.http.post('/auth/refresh').send({ refreshToken: customer.refreshToken })));
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBeLessThanOrEqual(1);
    // The loser is treated as a stolen-token replay, which revokes the login for both.
    expect(results.some((r) => r.status === 401 && r.body.code === 'refresh_token_reused')).toBe(true);
  });

  it('keeps one active primary when two enrolments race to confirm', async () => {
    const email = `race.${Date.now()}@example.com`;
    await ctx.http.post('/auth/register').send({ email, password: 'correct horse battery staple' }).expect(201);
    const { accessToken } = await login(ctx, email);
    const auth = { Authorization: `Bearer ${accessToken}` };
    const totp = await ctx.http.post('/me/factors').set(auth).send({ type: 'totp', role: 'primary' }).expect(201);
    const sms = await ctx.http.post('/me/factors').set(auth).send({ type: 'sms', role: 'primary', phone: '+447911123463' }).expect(201);
    const smsCode = await ctx.twilio.codeFor('+447911123463');
    const results = await Promise.all([
      ctx.http.post(`/me/factors/${totp.body.factor.id}/verify`).set(auth).send({ code: currentTotp(ctx, totp.body.secret) }),
      ctx.http.post(`/me/factors/${sms.body.factor.id}/verify`).set(auth).send({ code: smsCode }),
    ]);
    expect(statuses(results)).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).toBe('primary_exists');
    const overview = await ctx.http.get('/me/factors').set(auth).expect(200);
    expect(overview.body.factors.filter((f: { role: string; status: string }) => f.role === 'primary' && f.status === 'active')).toHaveLength(1);
  });

  it('a right code in a burst of wrong guesses either wins before the lock or is refused: never a success after the lock', async () => {
    const customer = await enrolledCustomer(ctx);
    nextTotpStep(ctx);
    const logins = await Promise.all(Array.from({ length: 5 }, () => login(ctx, customer.email)));
    const right = currentTotp(ctx, customer.totpSecret);
    const wrong = (i: number) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => ctx.http.post('/auth/mfa/verify').send({
        mfaToken: logins[i % 5].mfaToken, factorId: customer.totpFactorId, code: i === 11 ? right : wrong(i),
      })),
    );
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    // The audit trail is in commit order for one subject (each step holds its row until commit): replayed,
    // it shows at most the threshold of failures before a lock or a success (which clears the count),
    // and no success after the lock.
    const events: { type: string }[] = await ctx.app.get(DataSource).query(
      `SELECT e.type FROM audit_events e JOIN customers c ON c.id = e.subject_id
       WHERE c.email = $1 AND e.type IN ('mfa.succeeded', 'mfa.failed', 'mfa.locked') AND e.at > $2 ORDER BY e.seq`,
      [customer.email, new Date(ctx.clock.now().getTime() - 1000)],
    );
    let failures = 0;
    let locked = false;
    for (const { type } of events) {
      if (type === 'mfa.failed') failures++;
      if (type === 'mfa.locked') locked = true;
      if (type === 'mfa.succeeded') {
        expect(locked).toBe(false);
        failures = 0;
      }
      expect(failures).toBeLessThanOrEqual(10);
    }
    // Every failure audited: each invalid_code answer, and the one that locked (answered mfa_locked).
    const count = (type: string) => events.filter((event) => event.type === type).length;
    expect(count('mfa.failed')).toBe(results.filter((r) => r.body.code === 'invalid_code').length + count('mfa.locked'));
    expect(count('mfa.succeeded')).toBe(results.filter((r) => r.status === 200).length);
  });

  it('takes no lock shared by all subjects: a sign-in completes while the old chain lock and the sealer lease are held elsewhere', async () => {
    const customer = await enrolledCustomer(ctx);
    nextTotpStep(ctx);
    const { mfaToken } = await login(ctx, customer.email);
    const runner = ctx.app.get(DataSource).createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(`SELECT pg_advisory_xact_lock(7401020026), pg_advisory_xact_lock(7401020027)`);
      const res = await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) });
      expect(res.status).toBe(200);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
