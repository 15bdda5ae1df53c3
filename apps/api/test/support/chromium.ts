import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * The one rule for finding the browser, shared by the browser tests and CI (.ci/run): CHROMIUM_PATH when
 * set, else `chromium` on the PATH. Undefined when there is none; under CI that is a failure, not a skip
 * (scripts/test.js fails a CI run with any skipped test).
 */
export function findChromium(): string | undefined {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return existsSync(configured) ? configured : undefined;
  const found = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' });
  const path = found.status === 0 ? found.stdout.trim() : '';
  return path || undefined;
}

/** Chromium's software authenticator attached to one tab, driven through the DevTools protocol. */
export interface VirtualAuthenticator {
  id: string;
  /** The passkeys it holds (rpId, signCount…), as Chromium reports them. */
  credentials(): Promise<{ credentialId: string; rpId?: string; signCount: number; isResidentCredential: boolean }[]>;
  /** The next signatures are garbage (the API must refuse them), until set back to false. */
  signBadly(bogus: boolean): Promise<void>;
}

/**
 * A platform authenticator (CTAP2, internal, discoverable credentials, user verified) for `page`, so
 * the pages' WebAuthn calls succeed without a person at the keyboard. The page must be loaded from a
 * valid RP id: http://localhost works, an IP address does not.
 */
export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const session = await page.context().newCDPSession(page);
  await session.send('WebAuthn.enable');
  const { authenticatorId } = await session.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return {
    id: authenticatorId,
    credentials: async () => (await session.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
    signBadly: async (bogus) => {
      await session.send('WebAuthn.setResponseOverrideBits', { authenticatorId, isBogusSignature: bogus });
    },
  };
}

/** Debian's chromium, headless, without the background traffic that slows a loaded CI machine. */
export function launchChromium(executablePath: string, extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
      ...extraArgs,
    ],
  });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

let axeSource: string | undefined;

/**
 * The serious and critical axe-core violations on the page once it is still, as readable lines. axe is
 * evaluated through the DevTools protocol, which the pages' CSP does not govern. `within` (CSS
 * selectors) limits the check to those parts of the page, e.g. one screen inside the console's frame.
 */
export async function seriousAxeViolations(page: Page, where: string, within?: string[]): Promise<string[]> {
  // A dialog fading in has, for a moment, text of too little contrast: judge the page at rest.
  for (let tries = 0; tries < 40; tries++) {
    if (!(await page.evaluate<boolean>("document.getAnimations().some((animation) => animation.playState === 'running')"))) break;
    await page.waitForTimeout(50);
  }
  axeSource ??= readFileSync(require.resolve('axe-core'), 'utf8');
  if (!(await page.evaluate<boolean>("typeof window.axe !== 'undefined'"))) await page.evaluate(axeSource);
  const context = within ? JSON.stringify({ include: within.map((selector) => [selector]) }) : 'document';
  const { violations } = await page.evaluate<{ violations: AxeViolation[] }>(`axe.run(${context}, { resultTypes: ["violations"] })`);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
