/**
 * The agent desktop's transfer in headless Chromium against the whole service (simulator,
 * real Redis, HTTP and the state push): the agent on a call tries a colleague who is not
 * ready (refused on the page, the call stays), then hands the caller to the colleague, now
 * ready, picked from the page; the colleague's phone (the simulator's endpoint) rings and
 * answers, the caller talks to them, and the desk shows the agent in wrap-up. Then a second
 * call is handed to a queue from the page and reaches the colleague through it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentProfile, callIdOf, callToQueue, talkBridge, untilAgent } from '../acd/support/acd-calls.js';
import { eventually, type Harness } from '../support/service-harness.js';
import { AGENT, PAGE_TEST_MS as TEST_MS, launchBrowser, screenshot, signInOn, type TestBrowser } from './support/browser.js';
import { startPageService, stopPageService } from './support/page-service.js';

const TOKEN_SECRET = 'page-test-secret-of-at-least-32-characters';
const SEEN_WITHIN_MS = 5000;
const COLLEAGUE = 'b1002';

let h: Harness;
let browser: TestBrowser;
let desk: Page;

beforeAll(async () => {
  h = await startPageService(TOKEN_SECRET, (c) => {
    // The desk's agent stays in wrap-up after a transfer: only the colleague can take the caller.
    for (const queue of Object.values(c.acd!.queues)) queue.wrapUpSeconds = 600;
  });
  h.sim.registerEndpoint('1001', { phone: { kind: 'answer', afterMs: 100 } });
  h.sim.registerEndpoint('1002', { phone: { kind: 'answer', afterMs: 100 } });
  browser = await launchBrowser();
  desk = await browser.page();
}, 60_000);

afterAll(() => stopPageService(browser, h), 30_000);

const deskState = () => desk.locator('[data-testid=agent-state]');
const transferStatus = () => desk.locator('[data-testid=transfer-status]');

/** The desk's agent takes a citizen call of the general queue. */
async function deskOnCall(): Promise<{ channelId: string; callId: string }> {
  const channelId = await callToQueue(h);
  await untilAgent(h, AGENT.name, 'on-call');
  await expect.poll(() => deskState().getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('on-call');
  return { channelId, callId: callIdOf(h, channelId) };
}

async function untilColleagueTalksTo(channelId: string, callId: string): Promise<void> {
  await untilAgent(h, COLLEAGUE, 'on-call');
  await eventually(() => talkBridge(h, callId)?.channels.length === 2 && talkBridge(h, callId)!.channels.some((c) => c.startsWith(`offer-${callId}-`) && c !== channelId), SEEN_WITHIN_MS, 'caller and colleague bridged');
  expect((await h.service.acd!.desk.get(COLLEAGUE))!.state).toMatchObject({ kind: 'on-call', callId });
}

describe('transfer from the agent desktop', () => {
  it('a colleague not ready is refused on the page; once ready, the call reaches them and the desk goes to wrap-up', async () => {
    await signInOn(desk, `${h.service.url}/app/agent.html`, AGENT);
    await desk.click('#ready');
    await expect.poll(() => deskState().getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('ready');
    expect(await desk.locator('#transfer-to-agent').isDisabled()).toBe(true);
    const { channelId, callId } = await deskOnCall();
    await h.service.acd!.desk.login({ id: COLLEAGUE, ...agentProfile('1002') }, 'lunch');

    await desk.fill('#transfer-agent', COLLEAGUE);
    await desk.click('#transfer-to-agent');
    await expect.poll(() => transferStatus().getAttribute('data-outcome'), { timeout: SEEN_WITHIN_MS }).toBe('refused');
    expect(await transferStatus().textContent()).toContain('未就绪');
    expect(await deskState().getAttribute('data-state')).toBe('on-call');
    expect(talkBridge(h, callId)!.channels).toContain(channelId);

    await h.service.acd!.desk.setReady(COLLEAGUE);
    // The ready colleague is offered in the list when the field is entered.
    await desk.fill('#transfer-agent', '');
    await desk.focus('#transfer-agent');
    await expect.poll(() => desk.locator(`#transfer-agents option[value="${COLLEAGUE}"]`).count(), { timeout: SEEN_WITHIN_MS }).toBe(1);
    await desk.fill('#transfer-agent', COLLEAGUE);
    await desk.click('#transfer-to-agent');
    await expect.poll(() => transferStatus().getAttribute('data-outcome'), { timeout: SEEN_WITHIN_MS }).toBe('ringing');
    await untilColleagueTalksTo(channelId, callId);
    await expect.poll(() => deskState().getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('wrap-up');
    expect(await transferStatus().textContent()).toContain(COLLEAGUE);
    await screenshot(desk, 'agent-desktop-transfer');

    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('completed');
    expect(h.record(callId)!.queue).toMatchObject({ agentId: COLLEAGUE, transfers: [{ fromAgent: AGENT.name, to: `agent:${COLLEAGUE}`, by: AGENT.name }] });
  }, TEST_MS);

  it('to a queue picked on the page: the caller waits there and the colleague of that queue answers', async () => {
    await desk.click('#wrap-up-end');
    await expect.poll(() => deskState().getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('ready');
    await h.service.acd!.desk.pause(COLLEAGUE, 'lunch');
    const { channelId, callId } = await deskOnCall();
    await expect.poll(() => desk.locator('#transfer-to-queue').isDisabled(), { timeout: SEEN_WITHIN_MS }).toBe(false);

    await desk.selectOption('#transfer-queue', 'night');
    await desk.click('#transfer-to-queue');
    await expect.poll(() => transferStatus().getAttribute('data-outcome'), { timeout: SEEN_WITHIN_MS }).toBe('queued');
    expect(await transferStatus().textContent()).toContain('night');
    await expect.poll(() => deskState().getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('wrap-up');
    await eventually(() => h.events.some((e) => e.type === 'call.queued' && e.callId === callId && e.data.queue === 'night'), SEEN_WITHIN_MS, 'queued in night');

    await h.service.acd!.desk.setReady(COLLEAGUE);
    await untilColleagueTalksTo(channelId, callId);
    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('completed');
    expect(h.record(callId)!.queue).toMatchObject({ queue: 'night', agentId: COLLEAGUE, transfers: [{ to: 'queue:night' }] });
  }, TEST_MS);
});
