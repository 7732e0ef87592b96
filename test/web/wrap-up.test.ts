/**
 * Wrap-up with a disposition on the agent desktop, in headless Chromium against the whole
 * service (simulator, real Redis, real HTTP): the agent's phone is the simulator's endpoint;
 * a citizen call reaches the agent and the caller hangs up; during the wrap-up the desk
 * shows the centre's dispositions (from the API) and a note field; the agent saves one,
 * changes it, and ends the wrap-up early from the page: one call.disposition with the last
 * choice and the note, and the agent ready.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callIdOf, callToQueue, eventsOf, untilAgent } from '../acd/support/acd-calls.js';
import type { Harness } from '../support/service-harness.js';
import { AGENT, PAGE_TEST_MS as TEST_MS, launchBrowser, screenshot, signInOn, type TestBrowser } from './support/browser.js';
import { startPageService, stopPageService } from './support/page-service.js';

const SEEN_WITHIN_MS = 5000;

let h: Harness;
let browser: TestBrowser;
let desk: Page;

beforeAll(async () => {
  h = await startPageService('wrap-up-page-test-secret-of-32-characters', (c) => {
    for (const queue of Object.values(c.acd!.queues)) queue.wrapUpSeconds = 600;
  });
  browser = await launchBrowser();
  desk = await browser.page();
}, 60_000);

afterAll(() => stopPageService(browser, h), 30_000);

const deskState = () => desk.locator('[data-testid=agent-state]');

describe('wrap-up on the agent desktop', () => {
  it('the agent picks a disposition, changes it, adds a note and ends the wrap-up early: one call.disposition with the last choice', async () => {
    await signInOn(desk, `${h.service.url}/app/agent.html`, AGENT);
    await expect.poll(() => deskState().getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('not-ready');
    expect(await desk.locator('#wrap-up-panel').isVisible()).toBe(false);
    await desk.click('#ready');
    await expect.poll(() => deskState().getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('ready');

    h.sim.registerEndpoint('1001', { phone: { kind: 'answer', afterMs: 100 } });
    const channelId = await callToQueue(h);
    const callId = callIdOf(h, channelId);
    await untilAgent(h, AGENT.name, 'on-call');
    h.sim.hangupFromCaller(channelId);
    await h.ended(channelId);
    await expect.poll(() => deskState().getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('wrap-up');

    // The centre's codes, in Chinese, behind an empty choice.
    await expect.poll(() => desk.locator('#wrap-up-panel').isVisible(), { timeout: SEEN_WITHIN_MS }).toBe(true);
    await expect.poll(() => desk.locator('#disposition option').count(), { timeout: SEEN_WITHIN_MS }).toBe(11);
    expect(await desk.locator('#disposition option[value=complaint]').textContent()).toBe('投诉');
    expect(await desk.locator('#disposition').inputValue()).toBe('');

    await desk.selectOption('#disposition', 'consultation');
    await desk.click('#disposition-save');
    await expect.poll(() => desk.locator('[data-testid=disposition-saved]').textContent(), { timeout: SEEN_WITHIN_MS }).toBe('已保存：咨询');
    await desk.selectOption('#disposition', 'complaint');
    await desk.fill('#disposition-note', '夜间施工噪音');
    await screenshot(desk, 'agent-desktop-wrap-up-disposition');
    // Saved, not sent: the wrap-up runs on until the agent ends it.
    expect(eventsOf(h, callId, 'call.disposition')).toEqual([]);

    await desk.click('#wrap-up-end');
    await expect.poll(() => deskState().getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('ready');
    await expect.poll(() => eventsOf(h, callId, 'call.disposition').length, { timeout: SEEN_WITHIN_MS }).toBe(1);
    expect(eventsOf(h, callId, 'call.disposition')[0]!.data).toMatchObject({ agentId: AGENT.name, code: 'complaint', note: '夜间施工噪音', ended: 'early' });
    expect(await desk.locator('#wrap-up-panel').isVisible()).toBe(false);
  }, TEST_MS);
});
