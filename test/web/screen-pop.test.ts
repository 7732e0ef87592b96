/**
 * The agent desktop's screen pop in headless Chromium, end to end: the page's SIP.js
 * softphone registers with the simulator's SIP over WebSocket registrar, a citizen's call
 * passes the menu (pressing 0) and the queue and rings the browser over SIP, and before the
 * agent answers the pop shows the caller's number (whole, or masked when the centre masks it
 * from agents: then the INVITE the browser receives carries only the masked number too), the
 * number dialled and its line, the menu path with the key pressed, the wait in the queue, the
 * repeat-caller flag and the open tickets of the in-memory ticket backend seeded here; in
 * Chinese, and in English after the toggle. When the caller hangs up, the pop clears.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAriSimulator } from '../../sim/index.js';
import { SipSettingsSchema } from '../../src/acd/sip-credentials.js';
import type { HotlineConfig } from '../../src/app/config-schema.js';
import { acdConfig, agentProfile, callIdOf, callToQueue } from '../acd/support/acd-calls.js';
import { CITIZEN, OPEN_TICKET, seededTickets, usersAuth } from '../acd/support/screen-pop-fixtures.js';
import { ARI_PASSWORD, ARI_USER, startHarness, type Harness, type Simulator } from '../support/service-harness.js';
import { AGENT, PAGE_TEST_MS as TEST_MS, launchBrowser, screenshot, signInOn, type TestBrowser } from './support/browser.js';

const SIP_SECRET = 'screen-pop-page-sip-secret-0123456789abcdef';
const TOKEN_SECRET = 'screen-pop-page-secret-of-at-least-32-chars';
const SEEN_WITHIN_MS = 10_000;
const SIGN_IN_WITHIN_MS = 20_000;

interface Desk {
  sim: Simulator;
  h: Harness;
  browser: TestBrowser;
  page: Page;
}

/** Simulator, service (softphones on the simulator, the seeded ticket backend), the agent on the roster of PJSIP/1001, Chromium. */
async function startDesk(edit: (config: HotlineConfig) => void = () => undefined): Promise<Desk> {
  const sim = await startAriSimulator({ port: 0, username: ARI_USER, password: ARI_PASSWORD, speed: 20, sipSecret: SIP_SECRET });
  const config = await acdConfig((c) => {
    c.acd!.softphones = SipSettingsSchema.parse({ domain: '127.0.0.1', wsServer: sim.sipUrl, iceServers: [] });
    // 300 s of the simulator's ringing is 15 s for the test to read the pop in.
    for (const queue of Object.values(c.acd!.queues)) queue.ringTimeoutSeconds = 300;
    edit(c);
  });
  config.auth = await usersAuth([{ ...AGENT, role: 'agent' }]);
  const h = await startHarness({ simulator: sim, config, authTokenSecret: TOKEN_SECRET, agentSipSecret: SIP_SECRET, ticketLookups: seededTickets() });
  await h.service.acd!.desk.putOnRoster(AGENT.name, agentProfile('1001'));
  const browser = await launchBrowser();
  return { sim, h, browser, page: await browser.page() };
}

async function stopDesk(d: Desk | undefined): Promise<void> {
  await d?.browser.close();
  for (const channel of d?.h.sim.channels() ?? []) d!.h.sim.hangupFromCaller(channel.id as string);
  await d?.h.close();
  await d?.sim.close();
}

/** Signs in, waits for the softphone's registration, goes ready; then a citizen's call through the menu rings the page. */
async function ringTheDesk(d: Desk): Promise<{ channelId: string; callId: string }> {
  const { page } = d;
  await signInOn(page, `${d.h.service.url}/app/agent.html`, AGENT);
  // Signing in (scrypt) and opening the desk on a loaded machine: a deadline of its own, and what the page said if it passes.
  await expect
    .poll(async () => ((await page.locator('#desk').isVisible()) ? 'open' : `not open; the page says: ${await page.locator('#error-banner').innerText()}`), { timeout: SIGN_IN_WITHIN_MS })
    .toBe('open');
  await expect.poll(() => page.locator('#phone-banner').getAttribute('data-registered'), { timeout: SEEN_WITHIN_MS }).toBe('true');
  await page.click('#ready');
  await expect.poll(() => page.locator('[data-testid=agent-state]').getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('ready');
  const channelId = await callToQueue(d.h, CITIZEN);
  // Ringing in the browser: the SIP INVITE arrived and the answer button is live.
  await expect.poll(() => page.locator('#answer').isEnabled(), { timeout: SEEN_WITHIN_MS }).toBe(true);
  await expect.poll(() => page.locator('#pop').getAttribute('data-loaded'), { timeout: SEEN_WITHIN_MS }).toBe('true');
  return { channelId, callId: callIdOf(d.h, channelId) };
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();

/** Still not answered: the phone rings and the ACD has the agent ringing. */
async function expectStillRinging(page: Page): Promise<void> {
  expect(await page.locator('#answer').isEnabled()).toBe(true);
  expect(await page.locator('[data-testid=agent-state]').getAttribute('data-state')).toBe('ringing');
}

describe('the screen pop, agents seeing whole numbers (the default)', () => {
  let d: Desk;
  beforeAll(async () => {
    d = await startDesk();
  }, 60_000);
  afterAll(() => stopDesk(d), 30_000);

  it('shows the caller, the line, the menu path with the key, the wait, the repeat flag and the open tickets before answer', async () => {
    const { page } = d;
    const { channelId, callId } = await ringTheDesk(d);

    expect(await page.locator('#pop').getAttribute('data-sip-from')).toBe(CITIZEN);
    expect(await text(page, '#pop-caller')).toBe(CITIZEN);
    expect(await text(page, '#pop-dialled')).toBe('12345 · main');
    expect(await text(page, '#pop-queue')).toBe('general');
    expect(await text(page, '#pop-call-id')).toBe(callId);
    expect(await page.locator('#pop-path li[data-node="main-menu"] kbd').innerText()).toBe('0');
    expect(await page.locator('#pop-path li').last().getAttribute('data-node')).toBe('general-agent');
    expect(await text(page, '#pop-wait')).toMatch(/^\d\d:\d\d（\d\d:\d\d:\d\d 进入队列）$/);
    expect(await page.locator('#pop-repeat-badge').isVisible()).toBe(true);
    expect(await text(page, '#pop-repeat')).toBe('是：近 30 天来电 3 次');
    const ticket = page.locator(`#pop-tickets tr[data-ticket="${OPEN_TICKET.ticketNumber}"] td`);
    expect(await ticket.allInnerTexts()).toEqual([OPEN_TICKET.ticketNumber, '办理中', OPEN_TICKET.handlingUnit, '—', OPEN_TICKET.summary]);
    expect(await page.locator('#pop-tickets tr[data-ticket]').count()).toBe(1);
    expect(await page.locator('#pop-status').count()).toBe(0);
    await expectStillRinging(page);
    await screenshot(page, 'agent-desktop-screen-pop');

    await page.click('#lang-toggle');
    expect(await text(page, '#pop-repeat')).toBe('Yes: 3 contacts in 30 days');
    expect(await text(page, '#pop-tickets h3')).toBe('Open tickets');
    expect(await ticket.nth(1).innerText()).toBe('In progress');
    expect(await text(page, '#pop-wait')).toMatch(/^\d\d:\d\d \(queued at \d\d:\d\d:\d\d\)$/);
    await screenshot(page, 'agent-desktop-screen-pop-en');
    await page.click('#lang-toggle');
    await expectStillRinging(page);

    // The caller gives up while it rings: the desk is ready again and the pop is gone.
    d.h.sim.hangupFromCaller(channelId);
    await d.h.ended(channelId);
    await expect.poll(() => page.locator('#pop').isVisible(), { timeout: SEEN_WITHIN_MS }).toBe(false);
    // The empty note replaces the pop in a later render: waited for, not read in the same instant.
    await expect.poll(() => page.locator('#pop-empty').isVisible(), { timeout: 10_000 }).toBe(true);
  }, TEST_MS);
});

describe('the screen pop, the centre masking numbers from agents', () => {
  let d: Desk;
  beforeAll(async () => {
    d = await startDesk((c) => void (c.acd!.screenPop.wholeNumberRoles = ['supervisor']));
  }, 60_000);
  afterAll(() => stopDesk(d), 30_000);

  it('shows the masked number, and the INVITE the browser received carried only the masked number', async () => {
    const { page } = d;
    await ringTheDesk(d);
    expect(await page.locator('#pop').getAttribute('data-sip-from')).toBe('139******78');
    expect(await text(page, '#pop-caller')).toBe('139******78 (已脱敏)');
    // The rest of the pop is there as for anyone: the tickets are the centre's, not the caller's number.
    expect(await text(page, '#pop-repeat')).toBe('是：近 30 天来电 3 次');
    expect(await page.locator(`#pop-tickets tr[data-ticket="${OPEN_TICKET.ticketNumber}"]`).count()).toBe(1);
    await expectStillRinging(page);
    expect(await page.content()).not.toContain(CITIZEN);
    await screenshot(page, 'agent-desktop-screen-pop-masked');
  }, TEST_MS);
});
