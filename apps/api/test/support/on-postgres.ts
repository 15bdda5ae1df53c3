/**
 * Tests of races, locks and database roles mean something only on real PostgreSQL with separate
 * connections: embedded PGlite is one session, where concurrent requests queue and such a test passes
 * whatever the code does. So they run only when TEST_DATABASE_URL is set (CI sets it), and say so when
 * skipped — and CI fails on any skipped test (scripts/test.js), so they can never be skipped there.
 */
export const ON_POSTGRES = Boolean(process.env.TEST_DATABASE_URL);

export function describeOnPostgres(name: string, body: () => void): void {
  if (ON_POSTGRES) return describe(name, body);
  console.warn(`Skipped "${name}": it needs real PostgreSQL with separate connections (set TEST_DATABASE_URL, as CI does).`);
  describe.skip(name, body);
}
