// `npm run bench`: what one sign-in costs. Counts the SQL statements of a TOTP verify and of a password
// step, and times both over many sequential sign-ins, against PostgreSQL when TEST_DATABASE_URL is set
// (embedded PGlite otherwise). Numbers, not assertions: compare them across changes.
import { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import { currentTotp, enrolledCustomer, login, nextTotpStep } from '../apps/api/test/support/journeys';
import { startTestApp } from '../apps/api/test/support/test-app';

const SIGN_INS = Number(process.env.BENCH_SIGN_INS ?? 200);

class CountingLogger implements TypeOrmLogger {
  statements: string[] = [];
  logQuery(query: string) {
    this.statements.push(query.replace(/\s+/g, ' ').trim());
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${label.padEnd(22)} p50 ${percentile(sorted, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(sorted, 95).toFixed(1).padStart(6)} ms   p99 ${percentile(sorted, 99).toFixed(1).padStart(6)} ms`;
}

async function main(): Promise<void> {
  const ctx = await startTestApp();
  try {
    const db = ctx.app.get(DataSource);
    const logger = new CountingLogger();
    (db as unknown as { logger: TypeOrmLogger }).logger = logger;

    const customer = await enrolledCustomer(ctx);
    nextTotpStep(ctx);
    logger.statements = [];
    const { mfaToken } = await login(ctx, customer.email);
    const loginStatements = logger.statements.length;
    logger.statements = [];
    await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) }).expect(200);
    const verifyStatements = [...logger.statements];

    const loginTimes: number[] = [];
    const verifyTimes: number[] = [];
    for (let i = 0; i < SIGN_INS; i++) {
      nextTotpStep(ctx);
      let start = performance.now();
      const answer = await login(ctx, customer.email);
      loginTimes.push(performance.now() - start);
      start = performance.now();
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken: answer.mfaToken, factorId: customer.totpFactorId, code: currentTotp(ctx, customer.totpSecret) }).expect(200);
      verifyTimes.push(performance.now() - start);
    }

    console.log(`Database: ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}; ${SIGN_INS} sequential sign-ins`);
    console.log(`SQL statements: password step ${loginStatements}, TOTP verify ${verifyStatements.length} (incl. BEGIN/COMMIT)`);
    for (const statement of verifyStatements) console.log(`  ${statement.slice(0, 140)}`);
    console.log(summary('POST /auth/login', loginTimes));
    console.log(summary('POST /auth/mfa/verify', verifyTimes));
  } finally {
    await ctx.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
