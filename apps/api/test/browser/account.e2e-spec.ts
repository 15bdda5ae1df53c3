import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { findChromium, launchChromium } from '../support/chromium';
import { bearer, enrolledCustomer, type EnrolledCustomer, nextTotpStep, PASSWORD, signInWithTotp, uniqueEmail } from '../support/journeys';
import { startTestApp, type TestContext } from '../support/test-app';
import { totp } from '../support/totp';
import { buildWebAppIfStale } from './build-console';

/**
 * The customer's own pages (/account/) in a real browser (Debian's chromium driven by playwright-core)
 * against the whole API booted in-process, codes read from the local SMTP server and computed from
 * the TOTP secret. Each page a journey passes is checked with axe-core: no serious or critical
 * accessibility violation.
 */

const CHROMIUM = findChromium();
if (!CHROMIUM) {
  console.warn("Skipping the account pages' browser tests: no chromium (CHROMIUM_PATH, or `chromium` on the PATH: apt-get install -y chromium).");
}
// axe-core is evaluated through the DevTools protocol, which the pages' CSP does not govern: the pages
// themselves run under the real policy (an inline <script> tag would need the CSP bypassed).
const AXE_SOURCE = readFileSync(require.resolve('axe-core'), 'utf8');

const ROOT = join(__dirname, '..', '..', '..', '..');
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const VIEWPORT = { width: 1100, height: 900 };
// The longest journey takes ~42 s at a load average of 17 on 2 cores (many agents at once).
const JOURNEY_TIMEOUT = 90_000;
// UI waits: generous for a loaded 2-core machine, far below the journey timeout.
const UI_TIMEOUT = 15_000;
const SECURITY_TITLE = 'Your account security';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

(CHROMIUM ? describe : describe.skip)("The customer's pages in a browser", () => {
  let ctx: TestContext;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    buildWebAppIfStale(ROOT, 'account');
    // Chromium starts while the database and the API boot.
    const launching = launchChromium(CHROMIUM!);
    ctx = await startTestApp();
    browser = await launching;
    await ctx.app.listen(0, '127.0.0.1');
    const { port } = (ctx.app.getHttpServer() as Server).address() as AddressInfo;
    base = `http://127.0.0.1:${port}/account/`;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  /** A browser profile: its localStorage (the remembered device) lives as long as the context. */
  const newProfile = () => browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'Europe/London' });

  /**
   * Runs a journey in a fresh tab. An uncaught page error fails it; on failure a screenshot of the
   * page is left in the temp folder for the CI log.
   */
  async function journey(name: string, steps: (page: Page) => Promise<void>, profile?: BrowserContext): Promise<void> {
    const context = profile ?? (await newProfile());
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // The pages must work under the API's Content-Security-Policy: a refused script, style, image or request fails the journey.
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    try {
      await steps(page);
      expect(pageErrors).toEqual([]);
    } catch (error) {
      const file = join(tmpdir(), `twofold-account-${name}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.error(`Account journey "${name}" failed; the page at that moment: ${file}`);
      throw error;
    } finally {
      await page.close();
      if (!profile) await context.close();
    }
  }

  /** axe-core on the page once it is still: no serious or critical violation. */
  async function expectAccessible(page: Page, where: string) {
    // A dialog fading in has, for a moment, text of too little contrast: judge the page at rest.
    // (Polled through DevTools evaluation: the page's CSP forbids waitForFunction's eval.)
    for (let tries = 0; tries < 40; tries++) {
      if (!(await page.evaluate<boolean>("document.getAnimations().some((animation) => animation.playState === 'running')"))) break;
      await page.waitForTimeout(50);
    }
    if (!(await page.evaluate<boolean>("typeof window.axe !== 'undefined'"))) await page.evaluate(AXE_SOURCE);
    const { violations } = await page.evaluate<{ violations: AxeViolation[] }>('axe.run(document, { resultTypes: ["violations"] })');
    const serious = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
  }

  /** Presses Tab until the element with that test id has the focus: it is reachable by keyboard. */
  async function tabTo(page: Page, testId: string, maxPresses = 40) {
    for (let i = 0; i < maxPresses; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate<string | null>("document.activeElement && document.activeElement.getAttribute('data-testid')");
      if (focused === testId) return;
    }
    throw new Error(`"${testId}" was not reached with ${maxPresses} presses of Tab`);
  }

  const title = (page: Page, text: string) => page.getByTestId('page-title').getByText(text, { exact: true }).waitFor();

  async function screenshot(page: Page, name: string) {
    // The committed pictures are rewritten only on request (npm run screenshots), not by every test run.
    const folder = process.env.UPDATE_SCREENSHOTS ? SCREENSHOTS : join(tmpdir(), 'twofold-screenshots');
    mkdirSync(folder, { recursive: true });
    await page.screenshot({ path: join(folder, name), fullPage: true });
  }

  async function submitPassword(page: Page, email: string, password = PASSWORD) {
    await page.goto(`${base}#/sign-in`);
    await page.getByTestId('email').fill(email);
    await page.getByTestId('password').fill(password);
    await page.getByTestId('sign-in-submit').click();
  }

  /** Password, then the authenticator code on the code step (the default method). */
  async function signInWithApp(page: Page, customer: EnrolledCustomer, { remember = false } = {}) {
    nextTotpStep(ctx); // never a step an earlier code used
    await submitPassword(page, customer.email);
    await page.getByTestId('current-method').and(page.locator('[data-type="totp"]')).waitFor();
    await page.getByTestId('code-input').fill(totp(customer.totpSecret, ctx.clock.now()));
    if (remember) await page.getByTestId('remember-device').check();
    await page.getByTestId('code-submit').click();
    await title(page, SECURITY_TITLE);
  }

  it(
    'a new customer registers and sets up the authenticator app and email with the keyboard alone, sees the confirmation and keeps the codes',
    async () => {
      const email = uniqueEmail('newcomer');
      await journey('register-and-setup', async (page) => {
        await page.goto(`${base}#/register`);
        await title(page, 'Create your account');
        await expect(page.getByTestId('password-rules').textContent()).resolves.toMatch(/12 to 128 characters/);
        await expectAccessible(page, 'register');

        // Keyboard only from here: the email field has the focus, Tab moves on, Enter submits.
        await page.keyboard.type(email);
        await tabTo(page, 'register-password');
        await page.keyboard.type('password1234');
        await tabTo(page, 'register-confirm');
        await page.keyboard.type('password1234');
        await page.keyboard.press('Enter');
        // A common password is refused by the API, in plain words.
        await expect(page.getByTestId('register-error').textContent()).resolves.toMatch(/too common/);
        await page.getByTestId('register-password').fill(PASSWORD);
        await page.getByTestId('register-confirm').fill(PASSWORD);
        await page.getByTestId('register-confirm').press('Enter');

        // The default method: the authenticator app is recommended and preselected.
        await page.getByTestId('choose-primary').waitFor();
        await expect(page.getByTestId('method-totp').isChecked()).resolves.toBe(true);
        await expectAccessible(page, 'choose primary');
        await tabTo(page, 'method-continue');
        await page.keyboard.press('Enter');

        const secretAttribute = page.getByTestId('totp-secret');
        await secretAttribute.waitFor();
        const secret = (await secretAttribute.getAttribute('data-secret')) ?? '';
        expect(secret).toMatch(/^[A-Z2-7]{16,}=*$/);
        // The manual key is shown in groups of four; the QR code is an image the CSP allows (data: SVG).
        await expect(secretAttribute.textContent()).resolves.toBe(secret.replace(/=+$/, '').replace(/(.{4})/g, '$1 ').trim());
        await expect(page.getByTestId('totp-qr').getAttribute('src')).resolves.toMatch(/^data:image\/svg\+xml/);
        await expect(page.getByTestId('enrol-code').getAttribute('autocomplete')).resolves.toBe('one-time-code');
        await expectAccessible(page, 'authenticator enrolment');
        await tabTo(page, 'enrol-code');
        await page.keyboard.type(totp(secret, ctx.clock.now()));
        await page.keyboard.press('Enter');

        // The backup: email is preselected; the send button has the focus after choosing it.
        await page.getByTestId('choose-secondary').waitFor();
        await expect(page.getByTestId('method-email').isChecked()).resolves.toBe(true);
        expect(await page.getByTestId('method-totp').count()).toBe(0); // the app is taken already
        await tabTo(page, 'method-continue');
        await page.keyboard.press('Enter');
        await page.getByTestId('email-send').waitFor();
        await tabTo(page, 'email-send');
        await page.keyboard.press('Enter');
        await page.getByTestId('enrol-sent-to').waitFor();
        const emailCode = await ctx.smtp.codeFor(email);
        await tabTo(page, 'enrol-code');
        await page.keyboard.type(emailCode);
        await page.keyboard.press('Enter');

        // The confirmation: both methods, the primary first and marked as the default.
        await page.getByTestId('setup-confirmation').waitFor();
        const items = page.getByTestId('factor-item');
        await expect(items.count()).resolves.toBe(2);
        await expect(items.nth(0).getAttribute('data-role')).resolves.toBe('primary');
        await expect(items.nth(0).getAttribute('data-type')).resolves.toBe('totp');
        await expect(items.nth(0).getByTestId('factor-role').textContent()).resolves.toMatch(/Default method/);
        await expect(items.nth(1).getAttribute('data-role')).resolves.toBe('secondary');
        await expect(items.nth(1).getAttribute('data-type')).resolves.toBe('email');
        await expect(items.nth(1).getByTestId('factor-role').textContent()).resolves.toMatch(/Backup method/);
        await expectAccessible(page, 'confirmation');
        await screenshot(page, 'account-confirmation.png');
        await tabTo(page, 'confirmation-continue');
        await page.keyboard.press('Enter');

        // The recovery codes, shown once: ten distinct codes; moving on needs the box ticked.
        await page.getByTestId('recovery-code').first().waitFor();
        const codes = await page.getByTestId('recovery-code').allTextContents();
        expect(codes).toHaveLength(10);
        expect(new Set(codes).size).toBe(10);
        codes.forEach((code) => expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/));
        await expect(page.getByTestId('recovery-codes-done').isDisabled()).resolves.toBe(true);
        await expectAccessible(page, 'recovery codes');
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('recovery-codes-download').click()]);
        expect(download.suggestedFilename()).toBe('twofold-recovery-codes.txt');
        await tabTo(page, 'recovery-codes-saved');
        await page.keyboard.press('Space');
        await tabTo(page, 'recovery-codes-done');
        await page.keyboard.press('Enter');

        await title(page, SECURITY_TITLE);
        await expect(page.getByTestId('recovery-remaining').getAttribute('data-remaining')).resolves.toBe('10');
        // The tokens live in this tab's sessionStorage, never in localStorage.
        expect(await page.evaluate<number>('localStorage.length')).toBe(0);
        expect(await page.evaluate<string | null>("sessionStorage.getItem('twofold.account.session')")).toEqual(expect.stringContaining('accessToken'));

        // One of the codes the page showed signs in (through the API): they are the real ones.
        const login = await ctx.http.post('/auth/login').send({ email, password: PASSWORD }).expect(200);
        expect(login.body.status).toBe('mfa_required');
        await ctx.http.post('/auth/mfa/verify').send({ mfaToken: login.body.mfaToken, recoveryCode: codes[3] }).expect(200);
      });
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'a customer signs in with email instead of the app; a wrong code says how many tries are left',
    async () => {
      const customer = await enrolledCustomer(ctx, uniqueEmail('byemail'));
      await journey('sign-in-with-email', async (page) => {
        await page.goto(`${base}#/sign-in`);
        await expectAccessible(page, 'sign-in');
        await submitPassword(page, customer.email);

        // The default method is asked first; "use another method" lists the others and recovery codes.
        await page.getByTestId('current-method').and(page.locator('[data-type="totp"]')).waitFor();
        await expect(page.getByTestId('code-input').getAttribute('autocomplete')).resolves.toBe('one-time-code');
        await expectAccessible(page, 'code step');
        await page.getByTestId('use-another-method').click();
        await page.getByTestId('choose-recovery-code').waitFor();
        await expectAccessible(page, 'method chooser');
        await page.getByTestId('choose-email').click();
        // The prompt says "Sending a code…" until the API answers.
        await page.getByTestId('code-prompt').filter({ hasText: /sent a 6-digit code to/ }).waitFor();
        await screenshot(page, 'account-sign-in-email.png');
        const code = await ctx.smtp.codeFor(customer.email);

        const wrong = code === '000000' ? '111111' : '000000';
        await page.getByTestId('code-input').fill(wrong);
        await page.getByTestId('code-submit').click();
        await expect(page.getByTestId('code-error').textContent()).resolves.toMatch(/not right\. You have \d+ tries left/);
        await page.getByTestId('code-input').fill(code);
        await page.getByTestId('code-submit').click();
        await title(page, SECURITY_TITLE);
        await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain(customer.email);
      });
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'a customer signs out another session, and a change that needs a fresh code asks for one and goes through',
    async () => {
      const customer = await enrolledCustomer(ctx, uniqueEmail('sessions'));
      const elsewhere = await signInWithTotp(ctx, customer);
      const other = (await ctx.http.get('/me/sessions').set(bearer(elsewhere.accessToken)).expect(200)).body.sessions.find((s: { current: boolean }) => s.current);

      await journey('revoke-session', async (page) => {
        await signInWithApp(page, customer);
        const row = page.locator(`[data-testid="session-item"][data-session-id="${other.id}"]`);
        await row.waitFor();
        await expect(page.locator('[data-testid="session-item"][data-current="true"]').count()).resolves.toBe(1);
        await expectAccessible(page, 'security page');
        await screenshot(page, 'account-security.png');
        await row.getByTestId('session-revoke').click();
        await row.waitFor({ state: 'detached' });
        await page.getByTestId('notice').waitFor();

        // Ten minutes on, new recovery codes need a fresh second factor: the page asks for it.
        ctx.clock.advance(601);
        await page.getByTestId('regenerate-codes').click();
        await page.getByTestId('confirm-button').click();
        const stepUp = page.getByTestId('step-up-dialog');
        await stepUp.getByTestId('code-input').waitFor();
        await expectAccessible(page, 'step-up');
        await stepUp.getByTestId('code-input').fill(totp(customer.totpSecret, ctx.clock.now()));
        await stepUp.getByTestId('code-submit').click();
        const fresh = page.getByTestId('new-codes-dialog').getByTestId('recovery-code');
        await fresh.first().waitFor();
        const codes = await fresh.allTextContents();
        expect(codes).toHaveLength(10);
        expect(codes.filter((code) => customer.recoveryCodes.includes(code))).toEqual([]);
      });

      // The other login is over: its refresh token no longer works.
      await ctx.http.post('/auth/refresh').send({ refreshToken: elsewhere.refreshToken }).expect(401);
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'a customer adds a text-message method after confirming it is them, makes it the default and removes email',
    async () => {
      const customer = await enrolledCustomer(ctx, uniqueEmail('addsms'));
      await journey('add-sms', async (page) => {
        await signInWithApp(page, customer);
        // Past the ten minutes: adding a method needs a fresh second factor.
        ctx.clock.advance(601);
        await page.getByTestId('add-method').click();
        const dialog = page.getByTestId('add-method-dialog');
        await expect(dialog.getByTestId('method-sms').isChecked()).resolves.toBe(true);
        await dialog.getByTestId('add-continue').click();
        await dialog.getByTestId('sms-risk-notice').waitFor();
        await expectAccessible(page, 'add a text-message method');
        await dialog.getByTestId('sms-phone').fill('07911 123458');
        await dialog.getByTestId('sms-send').click();

        const stepUp = page.getByTestId('step-up-dialog');
        await stepUp.getByTestId('code-input').fill(totp(customer.totpSecret, ctx.clock.now()));
        await stepUp.getByTestId('code-submit').click();
        await stepUp.waitFor({ state: 'detached' });
        // The change goes on by itself: the code is sent to the number.
        await expect(dialog.getByTestId('enrol-sent-to').textContent()).resolves.toMatch(/458\./);
        await dialog.getByTestId('enrol-code').fill(await ctx.twilio.codeFor('+447911123458'));
        await dialog.getByTestId('enrol-verify').click();
        await dialog.waitFor({ state: 'detached' });

        const sms = page.locator('[data-testid="factor-item"][data-type="sms"]');
        await expect(sms.getAttribute('data-role')).resolves.toBe('secondary');
        await page.getByTestId('make-default-sms').click();
        await page.locator('[data-testid="factor-item"][data-type="sms"][data-role="primary"]').waitFor();
        await page.locator('[data-testid="factor-item"][data-type="totp"][data-role="secondary"]').waitFor();

        await page.getByTestId('remove-email').click();
        await page.getByTestId('confirm-button').click();
        await page.locator('[data-testid="factor-item"][data-type="email"]').waitFor({ state: 'detached' });
      });

      const overview = (await ctx.http.get('/me/factors').set(bearer((await signInWithTotp(ctx, customer)).accessToken)).expect(200)).body as {
        factors: { type: string; role: string; status: string }[];
      };
      expect(overview.factors.filter((f) => f.status === 'active').map((f) => `${f.type}:${f.role}`).sort()).toEqual(['sms:primary', 'totp:secondary']);
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'a customer without their phone signs in with a recovery code, which then no longer works',
    async () => {
      const customer = await enrolledCustomer(ctx, uniqueEmail('recovery'));
      await journey('recovery-code', async (page) => {
        await submitPassword(page, customer.email);
        await page.getByTestId('use-another-method').click();
        await page.getByTestId('choose-recovery-code').click();
        // Typed loosely (lower case, spaces instead of hyphens): the API normalises it.
        await page.getByTestId('recovery-code-input').fill(customer.recoveryCodes[0].toLowerCase().replace(/-/g, ' '));
        await expectAccessible(page, 'recovery code');
        await page.getByTestId('code-submit').click();
        await title(page, SECURITY_TITLE);
        await expect(page.getByTestId('recovery-remaining').getAttribute('data-remaining')).resolves.toBe('9');
      });
      const { mfaToken } = (await ctx.http.post('/auth/login').send({ email: customer.email, password: PASSWORD }).expect(200)).body;
      const reused = await ctx.http.post('/auth/mfa/verify').send({ mfaToken, recoveryCode: customer.recoveryCodes[0] }).expect(401);
      expect(reused.body.code).toBe('invalid_code');
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'a customer changes their password on the security page; a mismatch is caught before sending',
    async () => {
      const customer = await enrolledCustomer(ctx, uniqueEmail('newpassword'));
      const elsewhere = await signInWithTotp(ctx, customer);
      const chosen = 'quiet orchard under winter stars';
      await journey('change-password', async (page) => {
        await signInWithApp(page, customer);
        const form = page.getByTestId('password-form');
        await form.getByTestId('password-current').fill(PASSWORD);
        await form.getByTestId('password-new').fill(chosen);
        await form.getByTestId('password-confirm').fill(`${chosen}!`);
        await form.getByTestId('password-submit').click();
        await expect(form.getByTestId('password-error').textContent()).resolves.toMatch(/do not match/);
        await form.getByTestId('password-confirm').fill(chosen);
        await form.getByTestId('password-submit').click();
        await expect(page.getByTestId('notice').textContent()).resolves.toMatch(/password was changed/);
        expect(await form.getByTestId('password-current').inputValue()).toBe('');
      });
      await ctx.http.post('/auth/login').send({ email: customer.email, password: chosen }).expect(200);
      // Every other login of the account ended with the change.
      await ctx.http.post('/auth/refresh').send({ refreshToken: elsewhere.refreshToken }).expect(401);
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'a locked account is told in plain words how long to wait',
    async () => {
      const customer = await enrolledCustomer(ctx, uniqueEmail('locked'));
      // Ten wrong codes over two sign-ins (a sign-in dies after five) lock second-factor sign-in.
      const valid = [-1, 0, 1].map((offset) => totp(customer.totpSecret, ctx.clock.now(), offset));
      const wrong = ['000000', '111111', '222222', '333333'].find((code) => !valid.includes(code)) ?? '';
      for (let round = 0; round < 2; round++) {
        const { mfaToken } = (await ctx.http.post('/auth/login').send({ email: customer.email, password: PASSWORD }).expect(200)).body;
        for (let i = 0; i < 5; i++) await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customer.totpFactorId, code: wrong });
      }
      await journey('locked', async (page) => {
        await submitPassword(page, customer.email);
        await expect(page.getByTestId('sign-in-error').textContent()).resolves.toMatch(/paused for 15 minutes/);
        await expectAccessible(page, 'locked');
      });
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'a customer who remembers the device is not asked for a code next time; another browser is',
    async () => {
      const customer = await enrolledCustomer(ctx, uniqueEmail('remember'));
      const profile = await newProfile();
      try {
        await journey(
          'remember-device',
          async (page) => {
            await signInWithApp(page, customer, { remember: true });
            expect(await page.evaluate<string | null>("localStorage.getItem('twofold.account.device')")).toEqual(expect.any(String));
            await page.getByTestId('device-item').first().waitFor();
            await page.getByTestId('sign-out').click();
            await title(page, 'Sign in');
            expect(await page.evaluate<string | null>("sessionStorage.getItem('twofold.account.session')")).toBeNull();

            // The password is still asked; the code is not.
            await submitPassword(page, customer.email);
            await title(page, SECURITY_TITLE);
            await expect(page.getByTestId('notice').textContent()).resolves.toMatch(/remembered/);
          },
          profile,
        );
      } finally {
        await profile.close();
      }
      // A browser without the device token gets the code step as usual.
      await journey('not-remembered', async (page) => {
        await submitPassword(page, customer.email);
        await page.getByTestId('current-method').waitFor();
      });
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'a customer resets a forgotten password with the emailed link and a code from the authenticator app',
    async () => {
      const customer = await enrolledCustomer(ctx, uniqueEmail('forgetful'));
      const newPassword = 'a brand new harbour lantern';
      await journey('forgot-password', async (page) => {
        await page.goto(`${base}#/sign-in`);
        await page.getByTestId('forgot-link').click();
        await page.getByTestId('forgot-email').fill(customer.email);
        await expectAccessible(page, 'forgot password');
        await page.getByTestId('forgot-submit').click();
        await page.getByTestId('forgot-sent').waitFor();

        const mail = await ctx.smtp.waitFor((m) => m.to.includes(customer.email) && /#\/reset\?token=/.test(m.text ?? ''));
        const link = /(https?:\/\/\S+#\/reset\?token=[^\s"<>]+)/.exec(mail.text ?? '')?.[1] ?? '';
        const token = new URL(link.replace('#/reset?', 'reset?')).searchParams.get('token') ?? '';
        expect(token.length).toBeGreaterThanOrEqual(20);
        await page.goto(`${base}#/reset?token=${encodeURIComponent(token)}`);

        await page.getByTestId('reset-password').fill(newPassword);
        // The token does not stay in the address bar once read.
        expect(page.url()).not.toContain(token);
        await page.getByTestId('reset-confirm').fill(newPassword);
        await expectAccessible(page, 'reset password');
        await page.getByTestId('reset-continue').click();
        // The email is proven already: the app is asked, and email is not offered.
        await page.getByTestId('current-method').and(page.locator('[data-type="totp"]')).waitFor();
        await page.getByTestId('use-another-method').click();
        await page.getByTestId('choose-recovery-code').waitFor();
        expect(await page.getByTestId('choose-email').count()).toBe(0);
        await page.getByTestId('choose-totp').click();
        nextTotpStep(ctx);
        await page.getByTestId('code-input').fill(totp(customer.totpSecret, ctx.clock.now()));
        await page.getByTestId('code-submit').click();
        await title(page, SECURITY_TITLE);
        await expect(page.getByTestId('notice').textContent()).resolves.toMatch(/password has been changed/);
      });

      // The new password works, the old one does not, and the link is spent.
      await ctx.http.post('/auth/login').send({ email: customer.email, password: PASSWORD }).expect(401);
      await ctx.http.post('/auth/login').send({ email: customer.email, password: newPassword }).expect(200);
      await ctx.http.post('/auth/refresh').send({ refreshToken: customer.refreshToken }).expect(401);
    },
    JOURNEY_TIMEOUT,
  );
});
