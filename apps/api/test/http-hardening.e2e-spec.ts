import { startTestApp, TestContext } from './support/test-app';

/** Browser-facing HTTP: no cross-origin calls unless configured, and security headers on every answer. */
describe('HTTP hardening: CORS and security headers', () => {
  let ctx: TestContext;
  const preflight = (origin: string) =>
    ctx.http.options('/auth/login').set('Origin', origin).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'content-type');

  beforeAll(async () => {
    ctx = await startTestApp();
  }, 120_000);
  afterAll(() => ctx?.close());

  it('allows no cross-origin browser calls by default (the console and /account/ are same-origin)', async () => {
    const res = await preflight('https://evil.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const get = await ctx.http.get('/.well-known/jwks.json').set('Origin', 'https://evil.example').expect(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it.each(['/health', '/admin/', '/docs', '/.well-known/jwks.json', '/no-such-route'])('sends the security headers on %s', async (path) => {
    const res = await ctx.http.get(path);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': expect.stringContaining('max-age='),
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('sends no ETag on API answers, while the console\'s files keep their validators', async () => {
    expect((await ctx.http.get('/.well-known/jwks.json').expect(200)).headers.etag).toBeUndefined();
    expect((await ctx.http.post('/auth/login').send({ email: 'nobody@example.com', password: 'wrong password 1' })).headers.etag).toBeUndefined();
    const index = await ctx.http.get('/admin/');
    if (index.status === 200) expect(index.headers.etag ?? index.headers['last-modified']).toBeDefined();
  });

  it('opens CORS to the configured origins only, exposing the headers the console reads', async () => {
    ctx = await ctx.restart({ CORS_ORIGINS: 'https://portal.example.com, https://partner.example.org:8443' });
    const allowed = await preflight('https://portal.example.com').expect(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://portal.example.com');
    expect(allowed.headers['access-control-allow-methods']).toContain('POST');
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
    expect((await preflight('https://partner.example.org:8443')).headers['access-control-allow-origin']).toBe('https://partner.example.org:8443');
    const get = await ctx.http.get('/.well-known/jwks.json').set('Origin', 'https://portal.example.com').expect(200);
    expect(get.headers['access-control-expose-headers']).toBe('Content-Range,Retry-After');
    for (const origin of ['https://evil.example', 'https://portal.example.com.evil.example', 'http://portal.example.com']) {
      expect((await preflight(origin)).headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});
