import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { createStaff, REASON, signedInStaff, type SignedInStaff } from '../support/admin-journeys';
import { bearer, enrolledCustomer, type EnrolledCustomer, login, nextTotpStep, register, signInWithTotp, uniqueEmail } from '../support/journeys';
import { findChromium, launchChromium } from '../support/chromium';
import { startTestApp, type TestContext } from '../support/test-app';
import { totp } from '../support/totp';
import { buildConsoleIfStale } from './build-console';

/**
 * The back-office console in a real browser (Debian's chromium driven by playwright-core) against
 * the whole API booted in-process: sign-in with TOTP enrolment, the customer search, support actions
 * and what each role may see. The API serves the built console at /admin/ and the console calls the
 * API on the same origin.
 */

const CHROMIUM = findChromium();
if (!CHROMIUM) {
  console.warn('Skipping the console browser tests: no chromium (CHROMIUM_PATH, or `chromium` on the PATH: apt-get install -y chromium).');
}

const ROOT = join(__dirname, '..', '..', '..', '..');
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const VIEWPORT = { width: 1366, height: 900 };
// The longest journey takes ~46 s at a load average of 17 on 2 cores (many agents at once): 60 s was flaky.
const JOURNEY_TIMEOUT = 90_000;
// UI waits: generous for a loaded 2-core machine, far below the journey timeout.
const UI_TIMEOUT = 15_000;

(CHROMIUM ? describe : describe.skip)('Back-office console in a browser', () => {
  let ctx: TestContext;
  let browser: Browser;
  let consoleUrl: string;

  beforeAll(async () => {
    buildConsoleIfStale(ROOT);
    // Chromium starts while the database and the API boot.
    const launching = launchChromium(CHROMIUM!);
    // A low lock threshold so the dashboard can show a locked customer without many requests.
    ctx = await startTestApp({ MFA_LOCK_THRESHOLD: '3' });
    browser = await launching;
    await ctx.app.listen(0, '127.0.0.1');
    const { port } = (ctx.app.getHttpServer() as Server).address() as AddressInfo;
    consoleUrl = `http://127.0.0.1:${port}/admin/`;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  /**
   * Runs a journey in a fresh tab (fresh sessionStorage, so signed out). An uncaught page error
   * fails it; on failure a screenshot of the page is left in the temp folder for the CI log.
   */
  async function journey(name: string, steps: (page: Page) => Promise<void>, start = '#/login'): Promise<void> {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'Europe/London' });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // The console must work under the API's Content-Security-Policy: a refused script, style or request fails the journey.
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    try {
      // Straight to the sign-in route by default: a signed-out visit to the bare URL is its own test.
      await page.goto(`${consoleUrl}${start}`);
      await steps(page);
      expect(pageErrors).toEqual([]);
    } catch (error) {
      const file = join(tmpdir(), `twofold-console-${name}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.error(`Console journey "${name}" failed; the page at that moment: ${file}`);
      throw error;
    } finally {
      await context.close();
    }
  }

  async function submitPassword(page: Page, email: string, password: string) {
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
  }

  /** Password then a TOTP code on the code step, for staff enrolled already (through the API). */
  async function signIn(page: Page, staff: SignedInStaff) {
    nextTotpStep(ctx); // the enrolment (or the last sign-in) used the current step
    await submitPassword(page, staff.email, staff.password);
    await page.getByTestId('mfa-code').fill(totp(staff.totpSecret, ctx.clock.now()));
    await page.getByTestId('mfa-submit').click();
    await expectDashboard(page, staff.role);
  }

  /** A password of the member's own (12–128 characters, not a common one). */
  const ownPassword = () => `Own-${randomBytes(9).toString('base64url')}`;

  /**
   * A member of staff past their first sign-in: TOTP enrolled and the setup password replaced
   * through the API (signedInStaff does both), so the console goes straight to the dashboard.
   */
  async function staffWithOwnPassword(role: SignedInStaff['role']): Promise<SignedInStaff> {
    return signedInStaff(ctx, role);
  }

  async function expectDashboard(page: Page, role: string) {
    await page.getByTestId('stat-customers-total-value').waitFor();
    await expect(page.getByTestId('current-role').getAttribute('data-role')).resolves.toBe(role);
    expect(new URL(page.url()).hash).toMatch(/^#\/?$/);
  }

  async function customerId(customer: EnrolledCustomer): Promise<string> {
    const me = await ctx.http.get('/me').set(bearer(customer.accessToken)).expect(200);
    return me.body.id as string;
  }

  /** The detail the back office sees, read through the API with a separate member of staff. */
  async function customerDetail(id: string, staff: SignedInStaff) {
    const res = await ctx.http.get(`/admin/customers/${id}`).set(bearer(staff.accessToken)).expect(200);
    return res.body as { mfaComplete: boolean; factors: { id: string; type: string; role: string }[]; recoveryCodesRemaining: number };
  }

  async function openCustomer(page: Page, id: string) {
    await page.goto(`${consoleUrl}#/customers/${id}/show`);
    await page.getByTestId('factor-panel').waitFor();
  }

  /** Waits until the locator matches exactly `count` elements (Jest has no expect.poll). */
  async function waitForCount(locator: Locator, count: number) {
    const deadline = Date.now() + UI_TIMEOUT;
    let seen = await locator.count();
    while (seen !== count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await locator.count();
    }
    expect(seen).toBe(count);
  }

  // Evaluated in the page (this tsconfig has no DOM types).
  const historyLength = (page: Page) => page.evaluate<number>('history.length');
  const storedSession = (page: Page) => page.evaluate<string | null>("sessionStorage.getItem('twofold.admin.session')");

  const factorRows = (page: Page) => page.getByTestId('factor-panel').getByTestId('factor-row');

  /** Fills and confirms the support-action dialog, then waits for it to close. */
  async function confirmSupportAction(page: Page, verification: string, reason: string) {
    const dialog = page.getByTestId('support-action-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('action-verification').selectOption(verification);
    await dialog.getByTestId('action-reason').fill(reason);
    await dialog.getByTestId('action-confirm').click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** Some sign-in activity, so the dashboard's counts and charts have something to show. */
  async function makeActivity() {
    const customers: EnrolledCustomer[] = [];
    for (let i = 0; i < 4; i++) customers.push(await enrolledCustomer(ctx, uniqueEmail('dashboard')));
    for (const customer of customers.slice(0, 3)) await signInWithTotp(ctx, customer);
    // A secondary SMS factor: an SMS delivery through the local Twilio.
    const sms = await ctx.http.post('/me/factors').set(bearer(customers[0].accessToken)).send({ type: 'sms', role: 'secondary', phone: '07911 123456' }).expect(201);
    const smsCode = await ctx.twilio.codeFor('+447911123456');
    await ctx.http.post(`/me/factors/${sms.body.factor.id}/verify`).set(bearer(customers[0].accessToken)).send({ code: smsCode }).expect(200);
    // Wrong codes: failures on the chart, and a locked customer (threshold 3).
    nextTotpStep(ctx);
    const { mfaToken } = await login(ctx, customers[3].email);
    for (let i = 0; i < 3; i++) {
      await ctx.http.post('/auth/mfa/verify').send({ mfaToken, factorId: customers[3].totpFactorId, code: '000000' });
    }
    // Customers part-way through setup: one without factors, one with a primary only.
    await register(ctx, uniqueEmail('unstarted'));
    const halfway = await register(ctx, uniqueEmail('halfway'));
    const { accessToken } = await login(ctx, halfway);
    const factor = await ctx.http.post('/me/factors').set(bearer(accessToken)).send({ type: 'totp', role: 'primary' }).expect(201);
    await ctx.http.post(`/me/factors/${factor.body.factor.id}/verify`).set(bearer(accessToken)).send({ code: totp(factor.body.secret, ctx.clock.now()) }).expect(200);
    await ctx.flushDeliveries();
  }

  async function screenshot(page: Page, name: string, fullPage = false) {
    // No error toast may be in the picture (or on the page).
    expect(await page.locator('.RaNotification-error').count()).toBe(0);
    // The committed pictures are rewritten only on request (npm run screenshots), not by every test run.
    const folder = process.env.UPDATE_SCREENSHOTS ? SCREENSHOTS : join(tmpdir(), 'twofold-screenshots');
    mkdirSync(folder, { recursive: true });
    await page.screenshot({ path: join(folder, name), fullPage });
  }

  it('is served under a Content-Security-Policy that refuses inline scripts, and renders under it (as does /docs)', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    try {
      const response = await page.goto(`${consoleUrl}#/login`);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.getByTestId('login-email').waitFor();
      // The console itself (scripts, emotion's styles, images) raised no violation…
      expect(violations).toEqual([]);
      // …and the policy is really enforced: an injected inline script does not run.
      await page.evaluate("{ const s = document.createElement('script'); s.textContent = 'window.injected = true'; document.body.appendChild(s); }");
      await expect(page.evaluate('window.injected === true')).resolves.toBe(false);
      expect(violations.length).toBeGreaterThan(0);
      // The OpenAPI UI at /docs works under the same policy.
      violations.length = 0;
      await page.goto(consoleUrl.replace(/admin\/$/, 'docs'));
      await page.locator('.swagger-ui .opblock').first().waitFor();
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it(
    'an agent enrols TOTP at first sign-in, finds a customer, resets a factor and sees it audited',
    async () => {
      await makeActivity();
      const customer = await enrolledCustomer(ctx, uniqueEmail('caller'));
      const id = await customerId(customer);
      // A second secondary (SMS), so the factor panel shows one primary and two secondaries.
      const sms = await ctx.http.post('/me/factors').set(bearer(customer.accessToken)).send({ type: 'sms', role: 'secondary', phone: '07911 123457' }).expect(201);
      const smsCode = await ctx.twilio.codeFor('+447911123457');
      await ctx.http.post(`/me/factors/${sms.body.factor.id}/verify`).set(bearer(customer.accessToken)).send({ code: smsCode }).expect(200);
      const created = await createStaff(ctx, 'agent');
      const observer = await signedInStaff(ctx, 'supervisor'); // reads the API beside the browser
      const chosen = ownPassword();

      await journey('agent-reset-factor', async (page) => {
        // Password with the one-time setup password: the API asks for TOTP enrolment first.
        nextTotpStep(ctx);
        await submitPassword(page, created.email, created.setupPassword);
        const secret = (await page.getByTestId('enroll-secret').textContent())?.trim() ?? '';
        expect(secret).toMatch(/^[A-Z2-7]{16,}=*$/);
        await expect(page.getByTestId('enroll-qr').getAttribute('src')).resolves.toMatch(/^data:image\/svg\+xml/);
        await page.getByTestId('enroll-code').fill(totp(secret, ctx.clock.now()));
        await page.getByTestId('enroll-submit').click();

        // The recovery codes are shown once; continuing needs the "saved them" box ticked.
        // allTextContents() does not wait: wait for the list to be drawn first.
        await page.getByTestId('recovery-code-item').first().waitFor();
        const codes = await page.getByTestId('recovery-code-item').allTextContents();
        expect(codes.length).toBeGreaterThanOrEqual(8);
        expect(new Set(codes).size).toBe(codes.length);
        await expect(page.getByTestId('recovery-codes-continue').isDisabled()).resolves.toBe(true);
        // Two columns, numbered: the first column (numbers included) ends left of the second.
        const items = page.getByTestId('recovery-code-item');
        const [fifth, tenth] = await Promise.all([items.nth(4).boundingBox(), items.nth(9).boundingBox()]);
        expect(fifth && tenth && fifth.x + fifth.width <= tenth.x).toBe(true);
        await page.getByTestId('recovery-codes-saved').check();
        await page.getByTestId('recovery-codes-continue').click();

        // Then the setup password must be replaced; the one typed at sign-in is reused as the current.
        const form = page.getByTestId('password-change');
        await form.waitFor();
        expect(await form.getByTestId('password-current').count()).toBe(0);
        await form.getByTestId('password-new').fill('password1234');
        await form.getByTestId('password-confirm').fill('password1234');
        await form.getByTestId('password-submit').click();
        await expect(form.getByTestId('password-error').textContent()).resolves.toMatch(/too common/);
        await form.getByTestId('password-new').fill(chosen);
        await form.getByTestId('password-confirm').fill(chosen);
        await form.getByTestId('password-submit').click();

        await expectDashboard(page, 'agent');
        // The counts reflect the activity made above (≥ 7 customers, 1 locked, 1 without factors).
        expect(Number(await page.getByTestId('stat-customers-total-value').textContent())).toBeGreaterThanOrEqual(7);
        expect(Number(await page.getByTestId('stat-customers-locked-value').textContent())).toBe(1);
        expect(Number(await page.getByTestId('stat-customers-without-factors-value').textContent())).toBeGreaterThanOrEqual(1);
        // The dead letters have their own card (none failed here).
        await page.getByTestId('failed-deliveries').getByText('No failed deliveries.').waitFor();
        for (const chart of ['chart-factor-adoption', 'chart-setup-progress', 'chart-mfa-outcomes', 'chart-deliveries']) {
          await page.getByTestId(chart).locator('svg.recharts-surface').first().waitFor();
        }
        await page.waitForTimeout(1600); // recharts' entry animation
        await screenshot(page, 'dashboard.png', true); // the daily charts are below the fold

        // The customer search (debounced) narrows the list to the caller; a click opens them.
        await page.goto(`${consoleUrl}#/customers`);
        await page.getByTestId('customer-search').fill(customer.email);
        const rows = page.getByTestId('customer-table').locator('tbody tr');
        await waitForCount(rows, 1);
        await rows.first().getByText(customer.email).waitFor();
        await rows.first().getByText(customer.email).click();
        await page.waitForURL(new RegExp(`#/customers/${id}/show$`));

        // Primary first and marked as such, then the two secondaries.
        await waitForCount(factorRows(page), 3);
        const roles = await factorRows(page).evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-factor-role')}:${row.getAttribute('data-factor-type')}`));
        expect(roles).toEqual(['primary:totp', 'secondary:email', 'secondary:sms']);
        await expect(factorRows(page).first().getByTestId('factor-role-chip').getAttribute('data-role')).resolves.toBe('primary');
        await expect(factorRows(page).nth(1).getByTestId('factor-role-chip').getAttribute('data-role')).resolves.toBe('secondary');
        // No phone number in full, no secret.
        expect(await page.getByTestId('factor-panel').textContent()).not.toContain('7911123457');
        await page.getByTestId('customer-audit-trail').getByTestId('audit-event-type').getByText('factor.activated').first().waitFor();
        // The delivery log: the SMS code's delivery, masked, never the code or the number.
        const deliveries = page.getByTestId('customer-deliveries');
        await deliveries.getByText('+44 ••••• ••457').first().waitFor();
        expect(await deliveries.textContent()).not.toContain(smsCode);
        expect(await deliveries.textContent()).not.toContain('7911123457');
        await screenshot(page, 'customer.png');

        // The agent resets the TOTP factor: a reason and how the caller was verified.
        await page.getByTestId('reset-factor-totp').click();
        await confirmSupportAction(page, 'callback_to_number_on_file', REASON);
        await page.getByText('The Authenticator app factor was reset.').waitFor();
        await waitForCount(factorRows(page), 2);
        expect(await page.getByTestId('reset-factor-totp').count()).toBe(0);
        await page.getByTestId('factor-panel').getByText('no active primary factor').waitFor();

        // The audit trail now holds the removal, with the agent as actor and the reason given.
        const trail = page.getByTestId('customer-audit-trail');
        const removal = trail.locator('tbody tr', { has: page.getByTestId('audit-event-type').getByText('factor.removed', { exact: true }) });
        await removal.first().waitFor();
        await expect(removal.first().textContent()).resolves.toContain(created.email);
        await expect(removal.first().textContent()).resolves.toContain(REASON);
        await trail.getByTestId('audit-event-type').getByText('support.identity_verified', { exact: true }).first().waitFor();
        // Opening the record was itself audited, under the agent's name.
        const viewed = trail.locator('tbody tr', { has: page.getByTestId('audit-event-type').getByText('customer.viewed', { exact: true }) });
        await expect(viewed.first().textContent()).resolves.toContain(created.email);
      });

      // The agent's own password replaced the setup password.
      await ctx.http.post('/admin/auth/login').send({ email: created.email, password: created.setupPassword }).expect(401);
      await ctx.http.post('/admin/auth/login').send({ email: created.email, password: chosen }).expect(200);

      // Through the API: the factor is gone, the customer was told by email.
      const detail = await customerDetail(id, observer);
      expect(detail.factors.map((factor) => factor.id)).not.toContain(customer.totpFactorId);
      expect(detail.factors.map((factor) => factor.type).sort()).toEqual(['email', 'sms']);
      expect(detail.mfaComplete).toBe(false);
      const mail = await ctx.smtp.waitFor((m) => m.to.includes(customer.email) && /removed/i.test(m.subject ?? ''));
      expect(mail.text).toContain('customer services');
      const audit = await ctx.http
        .get('/admin/audit-events')
        .query({ filter: JSON.stringify({ subjectId: id, type: 'support.identity_verified' }) })
        .set(bearer(observer.accessToken))
        .expect(200);
      expect(audit.body[0]).toMatchObject({ actor: { type: 'staff', email: created.email }, reason: REASON, data: { action: 'factor.removed', verification: 'callback_to_number_on_file' } });
    },
    // Sign-in with enrolment, activity for the dashboard, search and a reset: the longest journey.
    JOURNEY_TIMEOUT * 2,
  );

  it(
    'supervisor A requests a whole reset, supervisor B approves it, the customer cancels it and the console shows it cancelled',
    async () => {
      const customer = await enrolledCustomer(ctx, uniqueEmail('reset'));
      const id = await customerId(customer);
      const requester = await staffWithOwnPassword('supervisor');
      const approver = await staffWithOwnPassword('supervisor');
      const reason = 'Customer lost phone and email access; passport checked in branch';

      await journey('supervisor-requests-reset', async (page) => {
        await signIn(page, requester);
        await openCustomer(page, id);
        await waitForCount(factorRows(page), 2);

        // An empty dialog cannot be confirmed: the reason and verification are required.
        await page.getByTestId('reset-mfa-button').click();
        await page.getByTestId('action-confirm').click();
        await page.getByText('Say how you verified the caller.').waitFor();
        await expect(page.getByTestId('action-confirm').isDisabled()).resolves.toBe(true);
        await page.getByTestId('action-cancel').click();
        await page.getByTestId('support-action-dialog').waitFor({ state: 'detached' });

        await page.getByTestId('reset-mfa-button').click();
        await confirmSupportAction(page, 'id_document', reason);
        await page.getByText('Reset requested: it now needs a second supervisor’s approval.').waitFor();
        // Nothing changed yet; the request waits for someone else: the requester cannot approve it.
        const panel = page.getByTestId('pending-reset-panel');
        await page.locator('[data-testid="pending-reset-panel"][data-status="awaiting_approval"]').waitFor();
        await panel.getByTestId('reset-approve-own').waitFor();
        expect(await panel.getByTestId('reset-approve').count()).toBe(0);
        await expect(panel.getByTestId('reset-requested-by').textContent()).resolves.toContain(requester.email);
        await waitForCount(factorRows(page), 2);
      });
      expect((await customerDetail(id, approver)).factors).toHaveLength(2);

      await journey('supervisor-approves-reset', async (page) => {
        await signIn(page, approver);
        // The Resets resource lists what awaits approval; the row opens the request.
        await page.goto(`${consoleUrl}#/resets`);
        const row = page.getByTestId('reset-table').locator('tbody tr', { hasText: customer.email });
        await row.first().waitFor();
        await expect(row.first().getByTestId('reset-status').getAttribute('data-status')).resolves.toBe('awaiting_approval');
        await row.first().getByText(customer.email).click();
        await page.getByTestId('reset-approve').click();
        await page.getByText('Reset approved: the customer has been told and can stop it until it runs.').waitFor();
        await page.locator('[data-testid="reset-status"][data-status="scheduled"]').waitFor();
        await expect(page.getByTestId('reset-approved-by').textContent()).resolves.toContain(approver.email);
        await expect(page.getByTestId('reset-countdown').textContent()).resolves.toMatch(/runs in 2[34] h \d+ min/);

        // The customer's page shows the state, the approver and the countdown.
        await openCustomer(page, id);
        const panel = page.locator('[data-testid="pending-reset-panel"][data-status="scheduled"]');
        await panel.waitFor();
        await expect(panel.getByTestId('reset-approved-by').textContent()).resolves.toContain(approver.email);
        await panel.getByTestId('reset-countdown').waitFor();
        // The picture without the approval's toast over the factor list.
        await page.getByText('Reset approved: the customer has been told and can stop it until it runs.').waitFor({ state: 'detached', timeout: 10_000 });
        await screenshot(page, 'reset-pending.png');

        // The customer, told by email and SMS, signs in with a factor they still have and cancels.
        await ctx.smtp.waitFor((m) => m.to.includes(customer.email) && /reset of your two-factor/i.test(m.subject ?? ''));
        const session = await signInWithTotp(ctx, customer);
        const me = await ctx.http.get('/me').set(bearer(session.accessToken)).expect(200);
        expect(me.body.pendingReset).toMatchObject({ status: 'scheduled' });
        await ctx.http.post('/me/pending-reset/cancel').set(bearer(session.accessToken)).expect(200);

        await page.reload();
        const cancelled = page.locator('[data-testid="pending-reset-panel"][data-status="cancelled"]');
        await cancelled.waitFor();
        await expect(cancelled.getByTestId('reset-cancelled-by').textContent()).resolves.toContain('by the customer');
        expect(await cancelled.getByTestId('reset-cancel').count()).toBe(0);
        await waitForCount(factorRows(page), 2);

        // The Resets list, filtered to cancelled requests, has it too.
        await page.goto(`${consoleUrl}#/resets?filter=${encodeURIComponent(JSON.stringify({ status: 'cancelled' }))}`);
        await page.getByTestId('reset-table').locator('tbody tr', { hasText: customer.email }).first().waitFor();
        await screenshot(page, 'resets.png');
      });

      // The API agrees: nothing was removed, and the request is cancelled by the customer.
      expect(await customerDetail(id, approver)).toMatchObject({ mfaComplete: true, recoveryCodesRemaining: 10 });
      const resets = await ctx.http.get('/admin/resets').query({ filter: JSON.stringify({ customerId: id }) }).set(bearer(approver.accessToken)).expect(200);
      expect(resets.body[0]).toMatchObject({ status: 'cancelled', requestedBy: requester.id, approvedBy: approver.id, cancelledBy: { type: 'customer', id } });
    },
    JOURNEY_TIMEOUT * 2,
  );

  it(
    'an agent opens the at-risk customers from the dashboard and sees the failing channel',
    async () => {
      const failing = await enrolledCustomer(ctx, uniqueEmail('atrisk'));
      const healthy = await enrolledCustomer(ctx, uniqueEmail('healthy'));
      const phone = '+447911123458';
      const sms = await ctx.http.post('/me/factors').set(bearer(failing.accessToken)).send({ type: 'sms', role: 'secondary', phone }).expect(201);
      await ctx.http.post(`/me/factors/${sms.body.factor.id}/verify`).set(bearer(failing.accessToken)).send({ code: await ctx.twilio.codeFor(phone) }).expect(200);
      // Three texts refused by the provider in a row: the channel is failing.
      for (let i = 0; i < 3; i++) {
        ctx.clock.advance(31);
        ctx.twilio.failNext();
        await ctx.http.post(`/me/factors/${sms.body.factor.id}/check`).set(bearer(failing.accessToken)).expect(202);
        await ctx.flushDeliveries();
      }
      const agent = await staffWithOwnPassword('agent');

      await journey('agent-at-risk', async (page) => {
        await signIn(page, agent);
        expect(Number(await page.getByTestId('stat-at-risk-value').textContent())).toBeGreaterThanOrEqual(1);
        await page.getByTestId('stats-failing-channels').getByTestId('failing-sms').waitFor();
        await page.getByTestId('stat-at-risk-link').click();
        await page.waitForURL(/#\/customers\?/);

        // The list is filtered to customers at risk: the failing one is there, the healthy one is not.
        const rows = page.getByTestId('customer-table').locator('tbody tr');
        await rows.filter({ hasText: failing.email }).first().waitFor();
        await page.getByTestId('customer-search').fill(healthy.email);
        // The search applied (the failing customer left the list) and found no healthy one at risk.
        await waitForCount(rows.filter({ hasText: failing.email }), 0);
        expect(await rows.filter({ hasText: healthy.email }).count()).toBe(0);
        await page.getByTestId('customer-search').fill(failing.email);
        await rows.first().getByText(failing.email).waitFor();
        await rows.first().getByText(failing.email).click();
        await page.waitForURL(/#\/customers\/[^/]+\/show$/);

        const smsRow = factorRows(page).and(page.locator('[data-factor-type="sms"]'));
        await expect(smsRow.getByTestId('factor-health').getAttribute('data-health')).resolves.toBe('failing');
        await expect(smsRow.getByTestId('factor-last-delivery').textContent()).resolves.toContain('failed');
        await expect(smsRow.getByTestId('factor-health').textContent()).resolves.toContain('3 in a row');
        const emailRow = factorRows(page).and(page.locator('[data-factor-type="email"]'));
        await expect(emailRow.getByTestId('factor-health').getAttribute('data-health')).resolves.toBe('ok');
      });
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'an agent sees neither the reset-all button nor the Staff menu',
    async () => {
      const customer = await enrolledCustomer(ctx, uniqueEmail('agentview'));
      const id = await customerId(customer);
      const agent = await staffWithOwnPassword('agent');

      await journey('agent-limits', async (page) => {
        await signIn(page, agent);
        // The menu has the resources an agent may open, and not staff management.
        const menu = page.locator('.RaMenu-open, .RaMenu-closed').first();
        await menu.locator('a[href="#/customers"]').waitFor();
        await menu.locator('a[href="#/audit-events"]').waitFor();
        expect(await page.locator('a[href="#/staff"]').count()).toBe(0);
        expect(await menu.getByText('Staff', { exact: true }).count()).toBe(0);

        await openCustomer(page, id);
        // The per-factor reset buttons prove the role is loaded; reset-all stays absent.
        await page.getByTestId('reset-factor-totp').waitFor();
        await page.getByTestId('reset-factor-email').waitFor();
        expect(await page.getByTestId('reset-mfa-button').count()).toBe(0);

        // Opening the staff page by its address does not show the staff list either.
        await page.goto(`${consoleUrl}#/staff`);
        await page.waitForTimeout(500);
        expect(await page.getByTestId('staff-create-button').count()).toBe(0);
      });
      // The customer was not touched.
      expect((await customerDetail(id, agent)).factors).toHaveLength(2);
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'a signed-out visit lands on the sign-in page promptly, and signing out returns there',
    async () => {
      const agent = await staffWithOwnPassword('agent');
      await journey(
        'sign-in-page',
        async (page) => {
          // The bare console URL while signed out: react-admin redirects to #/login. A redirect loop
          // shows up as thousands of history entries and a blank page for seconds.
          const shown = await page.getByTestId('login-email').waitFor({ timeout: 6000 }).then(() => true, () => false);
          const historyEntries = await historyLength(page);
          if (!shown || historyEntries > 5) {
            throw new Error(`Redirect loop to #/login: sign-in form shown within 6 s: ${shown}; history entries: ${historyEntries} (expected ≤ 5; a redirect loop makes thousands)`);
          }
          expect(new URL(page.url()).hash).toBe('#/login');

          await signIn(page, agent);
          const stored = await storedSession(page);
          const { refreshToken } = JSON.parse(stored ?? '{}') as { refreshToken?: string };
          expect(refreshToken).toEqual(expect.any(String));

          // Signing out from the user menu: back on the sign-in page, the login revoked at the API.
          const before = await historyLength(page);
          await page.getByRole('button', { name: 'Profile' }).click();
          await page.getByRole('menuitem', { name: 'Logout' }).click();
          const back = await page.getByTestId('login-email').waitFor({ timeout: 6000 }).then(() => true, () => false);
          const added = (await historyLength(page)) - before;
          if (!back || added > 3) {
            throw new Error(`Redirect loop after signing out: sign-in form shown within 6 s: ${back}; history entries added: ${added} (expected ≤ 5; a redirect loop makes thousands)`);
          }
          expect(await storedSession(page)).toBeNull();
          await ctx.http.post('/admin/auth/refresh').send({ refreshToken }).expect(401);
        },
        '',
      );
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'an agent whose second-factor proof is over an hour old confirms with a code, and the reset goes through',
    async () => {
      const customer = await enrolledCustomer(ctx, uniqueEmail('stepup'));
      const id = await customerId(customer);
      const agent = await staffWithOwnPassword('agent');

      // Age the agent's proof past the support actions' hour while keeping the login alive (it
      // ends after an hour idle): refresh half-way and at the end, as the console would.
      const refresh = async (refreshToken: string) =>
        (await ctx.http.post('/admin/auth/refresh').send({ refreshToken }).expect(200)).body as { accessToken: string; refreshToken: string; expiresIn: number };
      ctx.clock.advance(1801);
      const halfway = await refresh(agent.refreshToken);
      ctx.clock.advance(1801);
      const tokens = await refresh(halfway.refreshToken);
      const input = { reason: REASON, verification: 'security_questions' };
      const stale = await ctx.http.delete(`/admin/customers/${id}/factors/${customer.totpFactorId}`).set(bearer(tokens.accessToken)).send(input).expect(403);
      expect(stale.body.code).toBe('recent_mfa_required');

      await journey('agent-step-up', async (page) => {
        // The console signed in with those tokens (what the sign-in page would have stored).
        const session = JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + tokens.expiresIn * 1000 });
        await page.evaluate(`sessionStorage.setItem('twofold.admin.session', ${JSON.stringify(session)})`);
        await page.goto(`${consoleUrl}#/customers/${id}/show`);
        await page.reload();
        await page.getByTestId('factor-panel').waitFor();
        await waitForCount(factorRows(page), 2);

        const action = page.getByTestId('support-action-dialog');
        await page.getByTestId('reset-factor-totp').click();
        await action.getByTestId('action-verification').selectOption('security_questions');
        await action.getByTestId('action-reason').fill(REASON);
        await action.getByTestId('action-confirm').click();

        // The API wants a recent second factor: the console asks for a code instead of failing.
        const stepUp = page.getByTestId('step-up-dialog');
        await stepUp.waitFor();
        ctx.clock.advance(30); // a step no earlier code used
        const valid = [-1, 0, 1].map((offset) => totp(agent.totpSecret, ctx.clock.now(), offset));
        const wrong = ['000000', '111111', '222222'].find((code) => !valid.includes(code)) ?? '';
        await stepUp.getByTestId('step-up-code').fill(wrong);
        await stepUp.getByTestId('step-up-submit').click();
        await expect(stepUp.getByTestId('step-up-error').textContent()).resolves.toMatch(/attempts? left/);
        await stepUp.getByTestId('step-up-code').fill(valid[1]);
        await stepUp.getByTestId('step-up-submit').click();
        await stepUp.waitFor({ state: 'detached' });

        // The reset is sent again by itself and succeeds.
        await action.waitFor({ state: 'detached' });
        await page.getByText('The Authenticator app factor was reset.').waitFor();
        await waitForCount(factorRows(page), 1);
      });

      const observer = await signedInStaff(ctx, 'supervisor');
      const detail = await customerDetail(id, observer);
      expect(detail.factors.map((factor) => factor.id)).not.toContain(customer.totpFactorId);
      expect(detail.factors.map((factor) => factor.type)).toEqual(['email']);
    },
    JOURNEY_TIMEOUT,
  );
});
