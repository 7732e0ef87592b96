/**
 * Headless Chromium for the page tests: Debian's chromium driven by playwright-core, with the
 * flags this machine needs (no sandbox as root, no GPU, fake microphone and permission
 * prompts answered, no background traffic to Google) and a fresh profile per launch
 * (playwright's own temporary user-data-dir).
 * Screenshots of each page in each state go to var/screenshots/.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = 'var/screenshots';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];

export interface TestBrowser {
  /** A new context (own storage: one person signed in) at 1366×768, the desks' screen. */
  page(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  // playwright gives each launch a fresh temporary profile (user-data-dir) and removes it on close.
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  return {
    async page() {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, permissions: ['microphone'] });
      const page = await context.newPage();
      // A page's own errors in the test output: the first thing to read when a wait times out.
      page.on('pageerror', (error) => console.error(`[page ${page.url()}] ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') console.error(`[page ${page.url()}] ${message.text()}`);
      });
      return page;
    },
    close: () => browser.close(),
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * The README's pictures (docs/*.png) are refreshed only on request (REFRESH_DOC_SCREENSHOTS=1),
 * so a test run leaves the checkout as it found it; var/screenshots/ always gets them.
 */
export function refreshDocPicture(screenshotPath: string, docName: string): void {
  if (process.env.REFRESH_DOC_SCREENSHOTS === '1') copyFileSync(screenshotPath, `docs/${docName}`);
}

/** The agent both page tests sign in as (a built-in user; its roster seat is PJSIP/1001). */
export const AGENT = { name: 'a1001', password: 'agent-password-1001' };
/** Chromium on a loaded two-core machine: a test that drives pages takes seconds. */
export const PAGE_TEST_MS = 60_000;

/** Opens a page of the service and signs in on its form. */
export async function signInOn(page: Page, url: string, who: { name: string; password: string }): Promise<void> {
  await page.goto(url);
  await page.fill('#username', who.name);
  await page.fill('#password', who.password);
  await page.click('#login button[type=submit]');
}
