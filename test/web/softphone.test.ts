/**
 * The agent desktop's SIP.js softphone in headless Chromium against the simulator's SIP over
 * WebSocket registrar: the page fetches its credentials from the agent API (acd.softphones,
 * AGENT_SIP_SECRET), registers for its roster seat through the digest challenge, and says so;
 * Asterisk's side (ARI) sees the endpoint online. When Asterisk drops the connection, the banner says
 * the phone is not registered, and the page registers again by itself. A citizen's call through
 * the menu and the queue then rings the browser over SIP: the screen pop shows the call
 * before answer; answered, ICE and DTLS connect, the browser's inbound RTP rises and the
 * simulator's WebRTC peer counts the browser's packets; a key goes as an RFC 4733 event; the
 * agent hangs up and ends wrap-up on the page.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAriSimulator } from '../../sim/index.js';
import { SipSettingsSchema } from '../../src/acd/sip-credentials.js';
import { WebCallConfigSchema } from '../../src/webcall/index.js';
import { AuthConfigSchema, hashPassword } from '../../src/auth/index.js';
import { acdConfig, agentProfile, callIdOf, callToQueue } from '../acd/support/acd-calls.js';
import { ARI_PASSWORD, ARI_USER, startHarness, type Harness, type Simulator } from '../support/service-harness.js';
import { AGENT, PAGE_TEST_MS as TEST_MS, launchBrowser, refreshDocPicture, screenshot, signInOn, type TestBrowser } from './support/browser.js';

const SIP_SECRET = 'softphone-test-sip-secret-0123456789abcdef';
const SEEN_WITHIN_MS = 10_000;

let sim: Simulator;
let h: Harness;
let browser: TestBrowser;
let desk: Page;

/** The endpoint's state as Asterisk's REST interface tells it. */
async function endpointState(name: string): Promise<string> {
  const res = await fetch(`${sim.url}/ari/endpoints/PJSIP/${name}`, { headers: { authorization: `Basic ${Buffer.from(`${ARI_USER}:${ARI_PASSWORD}`).toString('base64')}` } });
  return ((await res.json()) as { state: string }).state;
}

beforeAll(async () => {
  sim = await startAriSimulator({ port: 0, username: ARI_USER, password: ARI_PASSWORD, speed: 20, sipSecret: SIP_SECRET });
  const config = await acdConfig((c) => {
    c.acd!.softphones = SipSettingsSchema.parse({ domain: '127.0.0.1', wsServer: sim.sipUrl, iceServers: [] });
    // The web-call page's settings, served by GET /webcall/settings: the simulator's WSS and the web callers' password.
    c.webCall = WebCallConfigSchema.parse({ wsServer: sim.sipUrl, target: 'sip:12345@127.0.0.1', password: sim.sipPassword('webcall')! });
    // The simulator runs 20× fast: 300 s of its ringing is 15 s for the page to answer in.
    for (const queue of Object.values(c.acd!.queues)) queue.ringTimeoutSeconds = 300;
  });
  config.auth = AuthConfigSchema.parse({ users: [{ name: AGENT.name, role: 'agent', passwordHash: await hashPassword(AGENT.password, { N: 2 ** 14 }) }] });
  h = await startHarness({ simulator: sim, config, authTokenSecret: 'softphone-test-secret-of-at-least-32-chars', agentSipSecret: SIP_SECRET });
  await h.service.acd!.desk.putOnRoster(AGENT.name, agentProfile('1001'));
  browser = await launchBrowser();
  desk = await browser.page();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await sim?.close();
}, 30_000);

const banner = () => desk.locator('#phone-banner');

describe('the agent softphone', () => {
  it('registers for the roster seat with the credentials from the API: the page and Asterisk agree', async () => {
    expect(await endpointState('1001')).toBe('offline');
    await signInOn(desk, `${h.service.url}/app/agent.html`, AGENT);
    await expect.poll(() => banner().getAttribute('data-registered'), { timeout: SEEN_WITHIN_MS }).toBe('true');
    expect(await banner().textContent()).toBe('软电话已注册');
    await expect.poll(() => endpointState('1001'), { timeout: SEEN_WITHIN_MS }).toBe('online');
    await screenshot(desk, 'agent-desktop-registered');
  }, TEST_MS);

  it('after Asterisk drops every connection for a while, shows the phone unregistered and registers again by itself', async () => {
    // Every socket cut (ARI's too: the service reconnects as well), new ones refused for 3 s of the simulator's clock.
    const outage = sim.outage(3000);
    await expect.poll(() => banner().getAttribute('data-registered'), { timeout: SEEN_WITHIN_MS }).toBe('false');
    await screenshot(desk, 'agent-desktop-unregistered');
    await outage;
    await expect.poll(() => banner().getAttribute('data-registered'), { timeout: SEEN_WITHIN_MS }).toBe('true');
    await expect.poll(() => endpointState('1001'), { timeout: SEEN_WITHIN_MS }).toBe('online');
  }, TEST_MS);

  it('a citizen call through the menu and queue rings the browser: screen pop before answer, then audio both ways, DTMF, hang-up, wrap-up', async () => {
    await desk.click('#ready');
    await expect.poll(() => desk.locator('[data-testid=agent-state]').getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('ready');
    const channelId = await callToQueue(h, '13912345678');
    const callId = callIdOf(h, channelId);

    // Ringing in the browser, not answered yet: the pop shows the call's queue and id.
    await expect.poll(() => desk.locator('#answer').isEnabled(), { timeout: SEEN_WITHIN_MS }).toBe(true);
    await expect.poll(() => desk.locator('#pop-call-id').textContent(), { timeout: SEEN_WITHIN_MS }).toBe(callId);
    expect(await desk.locator('#pop-queue').textContent()).toBe('general');
    expect(await desk.locator('#pop-caller').textContent()).toBe('13912345678');
    refreshDocPicture(await screenshot(desk, 'agent-desktop-ringing'), 'agent-desktop.png');

    await desk.click('#answer');
    const pcState = () => desk.evaluate(() => (window as unknown as { hotlinePhone: () => { peerConnection(): RTCPeerConnection | undefined } | undefined }).hotlinePhone()?.peerConnection()?.connectionState);
    await expect.poll(pcState, { timeout: SEEN_WITHIN_MS }).toBe('connected');
    const inboundPackets = () =>
      desk.evaluate(async () => {
        const pc = (window as unknown as { hotlinePhone: () => { peerConnection(): RTCPeerConnection | undefined } | undefined }).hotlinePhone()?.peerConnection();
        let packets = 0;
        (await pc?.getStats())?.forEach((r: { type: string; kind?: string; packetsReceived?: number }) => {
          if (r.type === 'inbound-rtp' && r.kind === 'audio') packets += r.packetsReceived ?? 0;
        });
        return packets;
      });
    const first = await (async () => {
      let n = 0;
      await expect.poll(async () => (n = await inboundPackets()), { timeout: SEEN_WITHIN_MS }).toBeGreaterThan(0);
      return n;
    })();
    await expect.poll(inboundPackets, { timeout: SEEN_WITHIN_MS }).toBeGreaterThan(first);
    const agentLeg = () => h.sim.channels().map((c) => c.id as string).find((id) => id.startsWith(`offer-${callId}`));
    expect(agentLeg()).toBeDefined();
    const media = () => sim.softphoneMedia(agentLeg()!) as { rtpReceived: number; dtmfReceived: string };
    await expect.poll(() => media().rtpReceived, { timeout: SEEN_WITHIN_MS }).toBeGreaterThan(0);
    await expect.poll(() => desk.locator('[data-testid=agent-state]').getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('on-call');
    await screenshot(desk, 'agent-desktop-talking');

    await desk.click('[data-dtmf="5"]');
    await expect.poll(() => media().dtmfReceived, { timeout: SEEN_WITHIN_MS }).toContain('5');

    await desk.click('#hangup');
    await h.ended(channelId);
    await expect.poll(() => desk.locator('[data-testid=agent-state]').getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('wrap-up');
    await desk.click('#wrap-up-end');
    await expect.poll(() => desk.locator('[data-testid=agent-state]').getAttribute('data-state'), { timeout: SEEN_WITHIN_MS }).toBe('ready');
  }, TEST_MS);

  it('a citizen calls 12345 from the web-call page, hears the menu and presses 0 on screen: the call is queued', async () => {
    const page = await browser.page();
    // No URL parameters: the page reads where to call, and as whom, from the service.
    const settings = (await (await fetch(`${h.service.url}/webcall/settings`)).json()) as Record<string, unknown>;
    expect(settings).toMatchObject({ enabled: true, wsServer: sim.sipUrl, target: 'sip:12345@127.0.0.1', uri: 'sip:webcall@127.0.0.1', authorizationUsername: 'webcall' });
    await page.goto(`${h.service.url}/app/webcall.html`);
    const calls = () => h.events.filter((e) => e.type === 'call.started');
    const before = calls().length;
    await expect.poll(() => page.locator('[data-testid=call-status]').getAttribute('data-status'), { timeout: SEEN_WITHIN_MS }).toBe('idle');
    await page.click('#call');
    await expect.poll(() => page.locator('[data-testid=call-status]').getAttribute('data-status'), { timeout: SEEN_WITHIN_MS }).toBe('talking');
    await expect.poll(() => calls().length, { timeout: SEEN_WITHIN_MS }).toBe(before + 1);
    const { callId, data } = calls().at(-1)!;
    const channelId = (data as { channelId: string }).channelId;
    const menuPlaying = () =>
      h.sim.events().some((e) => e.event.type === 'PlaybackStarted' && (e.event.playback as { media_uri: string; target_uri: string }).media_uri === 'sound:hotline/zh/main-menu' && (e.event.playback as { target_uri: string }).target_uri === `channel:${channelId}`);
    await expect.poll(menuPlaying, { timeout: SEEN_WITHIN_MS }).toBe(true);
    refreshDocPicture(await screenshot(page, 'web-call-talking'), 'web-call.png');

    await page.click('[data-dtmf="0"]');
    await expect.poll(() => page.locator('[data-testid=keys-sent]').textContent(), { timeout: SEEN_WITHIN_MS }).toBe('0');
    await expect.poll(() => h.events.some((e) => e.type === 'call.queued' && e.callId === callId), { timeout: SEEN_WITHIN_MS }).toBe(true);
    await page.click('#hangup');
    await h.ended(channelId);
    await expect.poll(() => page.locator('[data-testid=call-status]').getAttribute('data-status'), { timeout: SEEN_WITHIN_MS }).toBe('ended');
  }, TEST_MS);
});
