import { join } from 'node:path';
import { buildWebAppIfStale } from './browser/build-console';
import { startTestApp, type TestContext } from './support/test-app';

/**
 * How the API serves the customer's pages at /account/ (the pages themselves are tested in a browser,
 * browser/account.e2e-spec.ts): the index revalidated every time, hashed assets cached for good, and
 * the customer API routes untouched.
 */
describe("The customer's pages are served at /account/", () => {
  let ctx: TestContext;

  beforeAll(async () => {
    buildWebAppIfStale(join(__dirname, '..', '..', '..'), 'account');
    ctx = await startTestApp();
  }, 120_000);

  afterAll(async () => {
    await ctx?.close();
  });

  it('answers the index with no-cache, and /account redirects to it', async () => {
    await ctx.http.get('/account').expect(301).expect('Location', '/account/');
    const index = await ctx.http.get('/account/').expect(200).expect('Content-Type', /text\/html/);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.text).toContain('<div id="root">');
    // No inline script: the pages work under the API's CSP, which allows same-origin scripts only.
    expect(index.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(index.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    await ctx.http.head('/account/').expect(200);
  });

  it('serves the hashed assets the index names with a long cache, and a missing one as 404', async () => {
    const index = await ctx.http.get('/account/').expect(200);
    const script = /src="(\/account\/assets\/[^"]+\.js)"/.exec(index.text)?.[1];
    expect(script).toBeDefined();
    const asset = await ctx.http.get(script!).expect(200).expect('Content-Type', /javascript/);
    expect(asset.headers['cache-control']).toMatch(/max-age=31536000.*immutable|immutable.*max-age=31536000/);
    await ctx.http.get('/account/assets/no-such-file.js').expect(404);
  });

  it('leaves the API alone: the customer routes answer as before', async () => {
    await ctx.http.get('/me').expect(401);
    await ctx.http.post('/account/').send({}).expect(404);
  });
});
