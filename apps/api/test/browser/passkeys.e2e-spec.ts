import { mkdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { signedInStaff, staffSignIn, type SignedInStaff } from '../support/admin-journeys';
import { addVirtualAuthenticator, findChromium, launchChromium, seriousAxeViolations, type VirtualAuthenticator } from '../support/chromium';
import { bearer, enrolledCustomer, type EnrolledCustomer, nextTotpStep, PASSWORD, uniqueEmail } from '../support/journeys';
import { startTestApp, type TestContext } from '../support/test-app';
import { totp } from '../support/totp';
import { buildWebAppIfStale } from './build-console';

/**
 * Passkeys end to end in a real browser: Chromium's virtual authenticator (through the DevTools
 * protocol) answers the pages' WebAuthn calls with real P-256 credentials, and the whole API checks
 * them. The pages are loaded from http://localhost (an IP address is not a valid RP id), so the API is
 * configured with that origin and RP id before it starts.
 */

const CHROMIUM = findChromium();
if (!CHROMIUM) {
  console.warn('Skipping the passkey browser tests: no chromium (CHROMIUM_PATH, or `chromium` on the PATH: apt-get install -y chromium).');
}

const ROOT = join(__dirname, '..', '..', '..', '..');
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const VIEWPORT = { width: 1280, height: 900 };
const JOURNEY_TIMEOUT = 90_000;
const UI_TIMEOUT = 15_000;
const SECURITY_TITLE = 'Your account security';

/** A port nobody listens on now, so the API's public origin can be set before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The JSON of the next second-factor verify the page sends (where the sign-in's method is told). */
const nextVerify = (page: Page, path: string): Promise<Response> =>
  page.waitForResponse((response) => new URL(response.url()).pathname === path && response.request().method() === 'POST');

(CHROMIUM ? describe : describe.skip)('Passkeys in the browser (virtual authenticator)', () => {
  let ctx: TestContext;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    buildWebAppIfStale(ROOT, 'admin');
    buildWebAppIfStale(ROOT, 'account');
    // Chromium resolves localhost itself; pinning it to IPv4 avoids a refused ::1 first try.
    const launching = launchChromium(CHROMIUM!, ['--host-resolver-rules=MAP localhost 127.0.0.1']);
    const port = await freePort();
    origin = `http://localhost:${port}`;
    ctx = await startTestApp({ PUBLIC_BASE_URL: origin, WEBAUTHN_RP_ID: 'localhost', WEBAUTHN_ORIGINS: origin });
    browser = await launching;
    await ctx.app.listen(port, '127.0.0.1');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  /**
   * A fresh tab with its own virtual authenticator. A page error or any Content-Security-Policy
   * violation fails the journey; on failure a screenshot is left in the temp folder.
   */
  async function journey(name: string, steps: (page: Page, authenticator: VirtualAuthenticator) => Promise<void>): Promise<void> {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'Europe/London' });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    try {
      await steps(page, await addVirtualAuthenticator(page));
      expect(pageErrors).toEqual([]);
    } catch (error) {
      const file = join(tmpdir(), `twofold-passkeys-${name}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.error(`Passkey journey "${name}" failed; the page at that moment: ${file}`);
      throw error;
    } finally {
      await context.close();
    }
  }

  async function screenshot(page: Page, name: string) {
    // The committed pictures are rewritten only on request (npm run screenshots), not by every test run.
    const folder = process.env.UPDATE_SCREENSHOTS ? SCREENSHOTS : join(tmpdir(), 'twofold-screenshots');
    mkdirSync(folder, { recursive: true });
    await page.screenshot({ path: join(folder, name) });
  }

  const expectAccessible = async (page: Page, where: string, within?: string[]) => expect(await seriousAxeViolations(page, where, within)).toEqual([]);
  // The console's frame (app bar, menu) is react-admin's and outside these screens: check the screen itself.
  const CONSOLE_SCREEN = ['[data-testid="own-factors-page"]', '[role="dialog"]'];

  describe('staff in the console', () => {
    const consoleUrl = () => `${origin}/admin/`;

    async function submitStaffPassword(page: Page, staff: SignedInStaff) {
      await page.getByTestId('login-email').fill(staff.email);
      await page.getByTestId('login-password').fill(staff.password);
      await page.getByTestId('login-submit').click();
    }

    const dashboard = (page: Page) => page.getByTestId('stat-customers-total-value').waitFor();

    async function signOut(page: Page) {
      await page.getByRole('button', { name: 'Profile' }).click();
      await page.getByRole('menuitem', { name: 'Logout' }).click();
      await page.getByTestId('login-email').waitFor();
    }

    it(
      'a member of staff signs in with TOTP, adds a passkey as their primary method, signs in with the passkey and confirms a later change with it',
      async () => {
        const staff = await signedInStaff(ctx, 'agent');
        await journey('staff-passkey', async (page, authenticator) => {
          await page.goto(`${consoleUrl()}#/login`);
          nextTotpStep(ctx);
          await submitStaffPassword(page, staff);
          await page.getByTestId('mfa-code').fill(totp(staff.totpSecret, ctx.clock.now()));
          await page.getByTestId('mfa-submit').click();
          await dashboard(page);

          // The member's own methods: the authenticator app, primary.
          await page.getByTestId('menu-security').click();
          const own = page.getByTestId('own-factor');
          await own.and(page.locator('[data-type="totp"][data-role="primary"]')).waitFor();
          await expectAccessible(page, 'own sign-in methods', CONSOLE_SCREEN);

          await page.getByTestId('add-passkey').click();
          const dialog = page.getByTestId('add-passkey-dialog');
          await dialog.getByTestId('passkey-label').fill('Office laptop');
          await expectAccessible(page, 'add a passkey', CONSOLE_SCREEN);
          // Next to a primary, the passkey is offered as the new primary (the default choice).
          await expect(dialog.getByTestId('passkey-make-primary').isChecked()).resolves.toBe(true);
          await dialog.getByTestId('passkey-create').click();
          await dialog.waitFor({ state: 'detached' });

          const passkey = own.and(page.locator('[data-type="passkey"]'));
          await page.locator('[data-testid="own-factor"][data-type="passkey"][data-role="primary"]').waitFor();
          await expect(passkey.getByTestId('own-factor-hint').textContent()).resolves.toContain('Office laptop');
          await page.locator('[data-testid="own-factor"][data-type="totp"][data-role="secondary"]').waitFor();
          await page.getByText('Your passkey was added and is now your primary method.').waitFor({ state: 'detached', timeout: 10_000 });
          await screenshot(page, 'console-passkey.png');
          const [credential] = await authenticator.credentials();
          expect(credential).toMatchObject({ rpId: 'localhost' });

          await signOut(page);

          // The passkey is now the default: the second step offers it first, no code to type.
          await submitStaffPassword(page, staff);
          const button = page.getByTestId('mfa-passkey');
          await button.waitFor();
          expect(await page.getByTestId('mfa-code').count()).toBe(0);
          await expectAccessible(page, 'sign-in with a passkey');
          const verified = nextVerify(page, '/admin/auth/mfa/verify');
          await button.click();
          await expect((await verified).json()).resolves.toMatchObject({ method: 'passkey', scope: 'session' });
          await dashboard(page);
          const afterSignIn = (await authenticator.credentials())[0].signCount;
          expect(afterSignIn).toBeGreaterThan(credential.signCount);

          // Past the ten minutes, a role change needs a fresh second factor: the step-up offers the passkey.
          ctx.clock.advance(601);
          await page.getByTestId('menu-security').click();
          await page.getByTestId('make-primary-totp').click();
          const stepUp = page.getByTestId('step-up-dialog');
          await stepUp.waitFor();
          expect(await stepUp.getByTestId('step-up-code').count()).toBe(0);
          await expectAccessible(page, 'step-up with a passkey', CONSOLE_SCREEN);
          await stepUp.getByTestId('step-up-submit').click();
          await stepUp.waitFor({ state: 'detached' });
          await page.locator('[data-testid="own-factor"][data-type="totp"][data-role="primary"]').waitFor();
          const afterStepUp = (await authenticator.credentials())[0].signCount;
          expect(afterStepUp).toBeGreaterThan(afterSignIn);

          // With the app primary again, the code is asked first and the passkey is one press away.
          await signOut(page);
          await submitStaffPassword(page, staff);
          await page.getByTestId('mfa-code').waitFor();
          await page.getByTestId('mfa-use-passkey').click();
          await dashboard(page);
          expect((await authenticator.credentials())[0].signCount).toBeGreaterThan(afterStepUp);
        });

        // Through the API (signed in with the app): both methods active, the app primary again after the step-up.
        const { accessToken } = await staffSignIn(ctx, staff);
        const own = await ctx.http.get('/admin/me/factors').set(bearer(accessToken)).expect(200);
        const active = (own.body.factors as { type: string; role: string; status: string }[]).filter((f) => f.status === 'active');
        expect(active.map((f) => `${f.type}:${f.role}`).sort()).toEqual(['passkey:secondary', 'totp:primary']);
      },
      JOURNEY_TIMEOUT,
    );
  });

  describe('customers on their own pages', () => {
    const accountUrl = () => `${origin}/account/`;
    const title = (page: Page, text: string) => page.getByTestId('page-title').getByText(text, { exact: true }).waitFor();

    async function submitPassword(page: Page, customer: EnrolledCustomer) {
      await page.goto(`${accountUrl()}#/sign-in`);
      await page.getByTestId('email').fill(customer.email);
      await page.getByTestId('password').fill(PASSWORD);
      await page.getByTestId('sign-in-submit').click();
    }

    async function signOut(page: Page) {
      await page.getByTestId('sign-out').click();
      await title(page, 'Sign in');
    }

    const factorItem = (page: Page, type: string, role: string) => page.locator(`[data-testid="factor-item"][data-type="${type}"][data-role="${role}"]`);

    it(
      'a customer adds a passkey on the security page, signs in with it (a bad signature is refused in words), makes it the default, signs in and steps up with it',
      async () => {
        const customer = await enrolledCustomer(ctx, uniqueEmail('passkey'));
        await journey('customer-passkey', async (page, authenticator) => {
          nextTotpStep(ctx);
          await submitPassword(page, customer);
          await page.getByTestId('code-input').fill(totp(customer.totpSecret, ctx.clock.now()));
          await page.getByTestId('code-submit').click();
          await title(page, SECURITY_TITLE);

          // Add a passkey: a backup next to the app, with a name to tell it apart.
          await page.getByTestId('add-method').click();
          const dialog = page.getByTestId('add-method-dialog');
          await dialog.getByTestId('method-passkey').check();
          await dialog.getByTestId('add-continue').click();
          await dialog.getByTestId('passkey-label').fill('My phone');
          await expectAccessible(page, 'add a passkey');
          await dialog.getByTestId('passkey-create').click();
          await dialog.waitFor({ state: 'detached' });
          await expect(factorItem(page, 'passkey', 'secondary').getByTestId('factor-hint').textContent()).resolves.toContain('My phone');
          await expect(page.getByTestId('notice').textContent()).resolves.toMatch(/Passkey was added/);
          const [credential] = await authenticator.credentials();
          expect(credential).toMatchObject({ rpId: 'localhost' });

          await signOut(page);

          // The app is still the default; "use another method" offers the passkey.
          await submitPassword(page, customer);
          await page.getByTestId('current-method').and(page.locator('[data-type="totp"]')).waitFor();
          await page.getByTestId('use-another-method').click();
          await page.getByTestId('choose-passkey').click();
          await page.getByTestId('current-method').and(page.locator('[data-type="passkey"]')).waitFor();
          expect(await page.getByTestId('code-input').count()).toBe(0);
          await expectAccessible(page, 'passkey step');

          // A signature that does not verify: the API refuses it and the page says so in words.
          await authenticator.signBadly(true);
          await page.getByTestId('passkey-submit').click();
          await expect(page.getByTestId('code-error').textContent()).resolves.toMatch(/passkey was not accepted/);
          await authenticator.signBadly(false);
          const verified = nextVerify(page, '/auth/mfa/verify');
          await page.getByTestId('passkey-submit').click();
          await expect((await verified).json()).resolves.toMatchObject({ method: 'passkey', scope: 'session' });
          await title(page, SECURITY_TITLE);

          // Made the default, the passkey is what the next sign-in asks for first.
          await page.getByTestId('make-default-passkey').click();
          await factorItem(page, 'passkey', 'primary').waitFor();
          await factorItem(page, 'totp', 'secondary').waitFor();
          await signOut(page);
          await submitPassword(page, customer);
          await page.getByTestId('current-method').and(page.locator('[data-type="passkey"]')).waitFor();
          await screenshot(page, 'account-sign-in-passkey.png');
          await page.getByTestId('passkey-submit').click();
          await title(page, SECURITY_TITLE);
          const afterSignIn = (await authenticator.credentials())[0].signCount;
          expect(afterSignIn).toBeGreaterThan(credential.signCount);

          // Ten minutes on, removing a method needs a fresh second factor: the passkey answers the step-up.
          ctx.clock.advance(601);
          await page.getByTestId('remove-email').click();
          await page.getByTestId('confirm-button').click();
          const stepUp = page.getByTestId('step-up-dialog');
          await stepUp.getByTestId('passkey-submit').waitFor();
          await expectAccessible(page, 'step-up with a passkey');
          await stepUp.getByTestId('passkey-submit').click();
          await stepUp.waitFor({ state: 'detached' });
          await page.locator('[data-testid="factor-item"][data-type="email"]').waitFor({ state: 'detached' });
          expect((await authenticator.credentials())[0].signCount).toBeGreaterThan(afterSignIn);
        });

        // Another browser holds no passkey for the account: its prompt ends without one. The page says so
        // calmly (no error), and the app remains one click away.
        await journey('customer-passkey-elsewhere', async (page) => {
          await submitPassword(page, customer);
          await page.getByTestId('passkey-submit').click();
          await expect(page.getByTestId('code-notice').textContent()).resolves.toMatch(/prompt was closed/);
          expect(await page.getByTestId('code-error').count()).toBe(0);
          await page.getByTestId('use-another-method').click();
          await page.getByTestId('choose-totp').waitFor();
        });

        const login = await ctx.http.post('/auth/login').send({ email: customer.email, password: PASSWORD }).expect(200);
        const passkey = (login.body.factors as { id: string; type: string; role: string }[]).find((f) => f.type === 'passkey');
        expect(passkey).toMatchObject({ role: 'primary' });
        expect(login.body.defaultFactorId).toBe(passkey?.id);
      },
      JOURNEY_TIMEOUT,
    );
  });
});
