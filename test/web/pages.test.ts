/**
 * The agent desktop and the supervisor wallboard in headless Chromium against the whole
 * service (simulator, real Redis, real HTTP and WebSocket): an agent signs in and goes ready,
 * seen on the page, in the API and on the wallboard; a citizen call through the menu and the
 * queue reaches the agent (whose phone here is the simulator's endpoint), the desk shows the
 * call's queue and id, the wallboard the agent on the call, and the supervisor's listen
 * button rings the supervisor's phone into a running supervision; after the caller hangs up
 * the agent ends wrap-up from the page. Then the language toggle, and the citizen page's
 * notices and its clear failure when no WebSocket answers. One Chromium for the file;
 * every wait has a deadline.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callToQueue, untilAgent } from '../acd/support/acd-calls.js';
import type { Harness } from '../support/service-harness.js';
import { SUPERVISOR, startPageService, stopPageService } from './support/page-service.js';
import { AGENT, PAGE_TEST_MS as TEST_MS, launchBrowser, screenshot, signInOn as openAndSignIn, type TestBrowser } from './support/browser.js';

const TOKEN_SECRET = 'page-test-secret-of-at-least-32-characters';
/** Long enough for a page to poll and redraw, well under a test's timeout. */
const SEEN_WITHIN_MS = 5000;

let h: Harness;
let browser: TestBrowser;
let desk: Page;
let board: Page;

beforeAll(async () => {
  h = await startPageService(TOKEN_SECRET, (c) => {
    for (const queue of Object.values(c.acd!.queues)) queue.wrapUpSeconds = 600;
    // A reason of this centre's own, which the page has no text for: shown as configured.
    c.acd!.notReadyReasons['union-duty'] = { label: '工会值班' };
  });
  browser = await launchBrowser();
  [desk, board] = await Promise.all([browser.page(), browser.page()]);
}, 60_000);

afterAll(() => stopPageService(browser, h), 30_000);

const signInOn = (page: Page, path: string, who: { name: string; password: string }) => openAndSignIn(page, `${h.service.url}${path}`, who);

const deskState = () => desk.locator('[data-testid=agent-state]');
const boardRow = () => board.locator(`tr[data-agent="${AGENT.name}"]`);

describe('agent desktop and wallboard', () => {
  it('the agent signs in not ready, goes ready: the page, the API and the wallboard agree', async () => {
    await signInOn(desk, '/app/agent.html', AGENT);
    await expect.poll(() => deskState().getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('not-ready');
    // Logged in by the desk with its own reason, whatever reasons the centre configured.
    await expect.poll(() => deskState().textContent(), { timeout: SEEN_WITHIN_MS }).toBe('示忙 · 刚登录');
    expect((await h.service.acd!.desk.get(AGENT.name))?.state).toMatchObject({ kind: 'not-ready', reason: 'logged-in' });
    // Without acd.softphones the desk says plainly that calls cannot ring in the browser.
    await expect.poll(() => desk.locator('#phone-banner').textContent(), { timeout: SEEN_WITHIN_MS }).toContain('软电话未配置');
    await screenshot(desk, 'agent-desktop-not-ready');

    await signInOn(board, '/app/wallboard.html', SUPERVISOR);
    await expect.poll(() => boardRow().locator('[data-state]').getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('not-ready');

    await desk.click('#ready');
    await expect.poll(() => deskState().getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('ready');
    expect((await h.service.acd!.desk.get(AGENT.name))?.state.kind).toBe('ready');
    await expect.poll(() => boardRow().locator('[data-state]').getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('ready');
    await screenshot(desk, 'agent-desktop-ready');
    await screenshot(board, 'wallboard-agent-ready');
  }, TEST_MS);

  it('a citizen call reaches the agent: the desk and the wallboard show it; the supervisor listens', async () => {
    h.sim.registerEndpoint('1001', { phone: { kind: 'answer', afterMs: 100 } });
    h.sim.registerEndpoint('1002', { phone: { kind: 'answer', afterMs: 0 } });
    const channelId = await callToQueue(h);
    await untilAgent(h, AGENT.name, 'on-call');
    const state = (await h.service.acd!.desk.get(AGENT.name))!.state as { callId: string; queue: string };

    await expect.poll(() => deskState().getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('on-call');
    await expect.poll(() => desk.locator('#pop-call-id').textContent(), { timeout: SEEN_WITHIN_MS }).toBe(state.callId);
    expect(await desk.locator('#pop-queue').textContent()).toBe(state.queue);
    await screenshot(desk, 'agent-desktop-on-call');

    await expect.poll(() => boardRow().locator('[data-state]').getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('on-call');
    await expect.poll(() => board.locator('[data-testid=offered]').textContent(), { timeout: SEEN_WITHIN_MS }).toBe('1 / 1');
    await board.fill('#my-seat', 'PJSIP/1002');
    await boardRow().locator('button[data-mode=listen]').click();
    await expect.poll(() => board.locator('[data-testid=supervise-status]').getAttribute('data-outcome'), { timeout: SEEN_WITHIN_MS }).toBe('ringing');
    // The supervisor's phone answered: a listen supervision runs on the agent's call.
    await vi.waitFor(async () => expect(await h.service.acd!.supervision.list()).toEqual([expect.objectContaining({ mode: 'listen', agentId: AGENT.name })]), { timeout: SEEN_WITHIN_MS });
    await screenshot(board, 'wallboard-on-call-listening');

    h.sim.hangupFromCaller(channelId);
    await h.ended(channelId);
    await expect.poll(() => deskState().getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('wrap-up');
    await screenshot(desk, 'agent-desktop-wrap-up');
    await desk.click('#wrap-up-end');
    await expect.poll(() => deskState().getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('ready');
    expect((await h.service.acd!.desk.get(AGENT.name))?.state.kind).toBe('ready');
    await expect.poll(() => boardRow().locator('[data-state]').getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('ready');
    await screenshot(board, 'wallboard-after-call');
  }, TEST_MS);

  it('goes not ready with a reason, and switches to English and back', async () => {
    // The reasons offered are the centre's (acd.notReadyReasons), in its order.
    const offered = await desk.locator('#pause-reason option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(Object.keys(h.config.acd!.notReadyReasons));
    expect(offered).toContain('union-duty');
    await desk.selectOption('#pause-reason', 'union-duty');
    await desk.click('#pause');
    await expect.poll(() => deskState().textContent(), { timeout: SEEN_WITHIN_MS }).toBe('示忙 · 工会值班');
    await desk.selectOption('#pause-reason', 'training');
    await desk.click('#pause');
    await expect.poll(() => deskState().textContent(), { timeout: SEEN_WITHIN_MS }).toBe('示忙 · 培训');
    expect((await h.service.acd!.desk.get(AGENT.name))?.state).toMatchObject({ kind: 'not-ready', reason: 'training' });

    await desk.click('#lang-toggle');
    await expect.poll(() => deskState().textContent()).toBe('Not ready · Training');
    expect(await desk.locator('#ready').textContent()).toBe('Ready');
    expect(await desk.getAttribute('html', 'lang')).toBe('en');
    await screenshot(desk, 'agent-desktop-english');
    await desk.click('#lang-toggle');
    await expect.poll(() => desk.locator('#ready').textContent()).toBe('示闲');

    await board.click('#lang-toggle');
    await expect.poll(() => board.locator('h1').textContent()).toBe('12345 supervisor wallboard');
    await board.click('#lang-toggle');
  }, TEST_MS);

  it('the citizen page shows the recording notice and the emergency advice, and says so when the call cannot connect', async () => {
    const page = await browser.page();
    // The service's own port answers this path with 404, not a WebSocket: the page must report the failure, not hang.
    const ws = `${h.service.url.replace(/^http/, 'ws')}/no-sip-here`;
    await page.goto(`${h.service.url}/app/webcall.html?ws=${encodeURIComponent(ws)}`);
    expect(await page.locator('[data-testid=recording-notice]').textContent()).toContain('录音');
    expect(await page.locator('[data-testid=emergency-advice]').textContent()).toContain('110');
    expect(await page.locator('#keypad button').count()).toBe(12);
    await screenshot(page, 'web-call-idle');
    await page.click('#call');
    await expect.poll(() => page.locator('[data-testid=call-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('failed');
    await screenshot(page, 'web-call-failed');
  }, TEST_MS);

  it('serves the pages under /app/ only, and nothing outside the built directory', async () => {
    const page = await fetch(`${h.service.url}/app/agent.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await fetch(`${h.service.url}/app/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${h.service.url}/app/agent.ts`)).status).toBe(404);
  }, TEST_MS);
});
