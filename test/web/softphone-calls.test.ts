/**
 * The agent desktop's call controls in headless Chromium, with SIP.js against the
 * simulator's SIP over WebSocket peer (real re-INVITEs, ICE, DTLS-SRTP, RTP):
 *
 * - hold: the page's re-INVITE (sendonly) is answered recvonly on the same transport, the
 *   agent's channel raises ChannelHold, the service starts music on hold on the caller's
 *   channel, the simulator's peer stops sending to the browser, and the page says held;
 *   unhold: ChannelUnhold, the music stops and audio flows both ways again;
 * - mute (local to the browser, its sender track disabled): the simulator's peer still gets
 *   the browser's packets, but none with sound in them (mean level, audibleReceived), until
 *   unmuted;
 * - DTMF from the page's keypad as RFC 4733 events;
 * - 110 three-way from the page's emergency button: caller, agent and 110 in one bridge; the
 *   agent hangs up on the page, caller and 110 stay connected, the agent is in wrap-up;
 * - a consultation from the page: 110 is called while the caller waits with music, then joins
 *   the three of them, then the unit is let go and caller and agent talk again.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callIdOf, callToQueue, simChannel, talkBridge } from '../acd/support/acd-calls.js';
import type { Harness, Simulator } from '../support/service-harness.js';
import { AGENT, PAGE_TEST_MS, screenshot, signInOn } from './support/browser.js';
import { inboundPackets as pageInboundPackets, peerConnectionState, startSoftphoneDesk, type SoftphoneDesk } from './support/softphone-desk.js';

const SIP_SECRET = 'softphone-calls-test-sip-secret-0123456789';
const SEEN_WITHIN_MS = 10_000;
/** The browser's packets the simulator must count before a "nothing arrived meanwhile" holds: about a second of audio. */
const WINDOW_PACKETS = 50;

let setup: SoftphoneDesk | undefined;
let sim: Simulator;
let h: Harness;
let desk: Page;

interface Media {
  state: string;
  rtpSent: number;
  rtpReceived: number;
  audibleReceived: number;
  dtmfReceived: string;
  direction: string;
  holds: number;
}

beforeAll(async () => {
  setup = await startSoftphoneDesk({ sipSecret: SIP_SECRET, authTokenSecret: 'softphone-calls-test-secret-of-32-chars-or-more' });
  ({ sim, h, desk } = setup);
  // The emergency route's target (the example config's 110) answers.
  sim.setEndpointBehaviour('PJSIP/110@carrier', { kind: 'answer', afterMs: 200 });
  await signInOn(desk, `${h.service.url}/app/agent.html`, AGENT);
  await vi.waitFor(async () => expect(await desk.locator('#phone-banner').getAttribute('data-registered')).toBe('true'), { timeout: SEEN_WITHIN_MS, interval: 50 });
}, 60_000);

afterAll(() => setup?.close(), 30_000);

const agentState = () => desk.locator('[data-testid=agent-state]').getAttribute('data-state');
const pressed = (id: string) => desk.locator(`#${id}`).getAttribute('aria-pressed');

/** The browser's inbound audio packets (getStats inbound-rtp). */
const inboundPackets = () => pageInboundPackets(desk);

const rising = async (read: () => Promise<number> | number): Promise<void> => {
  const first = await read();
  await expect.poll(read, { timeout: SEEN_WITHIN_MS }).toBeGreaterThan(first);
};

/** ARI requests the service made of the simulator for a path, e.g. music on hold on a channel. */
const requested = (method: string, path: string) => sim.requests().filter((r) => r.method === method && r.path === path).length;
const eventOn = (type: string, channelId: string) => h.sim.events().filter((e) => e.event.type === type && (e.event.channel as { id?: string } | undefined)?.id === channelId);

/** A citizen's call through the menu and queue, answered on the page, audio flowing: the ids to follow it by. */
async function answeredCall(from: string): Promise<{ channelId: string; callId: string; agentLeg: string; media: () => Media }> {
  if ((await agentState()) !== 'ready') await desk.click('#ready');
  await expect.poll(agentState, { timeout: SEEN_WITHIN_MS }).toBe('ready');
  const channelId = await callToQueue(h, from);
  const callId = callIdOf(h, channelId);
  await expect.poll(() => desk.locator('#answer').isEnabled(), { timeout: SEEN_WITHIN_MS }).toBe(true);
  await desk.click('#answer');
  await expect.poll(() => talkBridge(h, callId)?.channels.length, { timeout: SEEN_WITHIN_MS }).toBe(2);
  const agentLeg = talkBridge(h, callId)!.channels.find((c) => c !== channelId)!;
  const media = () => sim.softphoneMedia(agentLeg) as unknown as Media;
  await expect.poll(() => peerConnectionState(desk), { timeout: SEEN_WITHIN_MS }).toBe('connected');
  await expect.poll(() => media().state, { timeout: SEEN_WITHIN_MS }).toBe('connected');
  await rising(inboundPackets);
  await rising(() => media().rtpReceived);
  return { channelId, callId, agentLeg, media };
}

/** Waits until the simulator has counted `n` more of the browser's packets: time passed with media alive. */
async function browserSent(media: () => Media, n = WINDOW_PACKETS): Promise<void> {
  const from = media().rtpReceived;
  await expect.poll(() => media().rtpReceived, { timeout: SEEN_WITHIN_MS }).toBeGreaterThanOrEqual(from + n);
}

describe('the agent desktop’s call controls on a real SIP call', () => {
  it('hold gives the caller music and stops the audio to the browser; unhold brings both back; mute sends silence; DTMF; 110 three-way, then the agent leaves', async () => {
    const { channelId, callId, agentLeg, media } = await answeredCall('13912345678');
    const moh = `/channels/${channelId}/moh`;
    const started = requested('POST', moh);

    // Hold: the re-INVITE is accepted, Asterisk's side says so, the caller gets music, the page shows it.
    await desk.click('#hold');
    await expect.poll(() => pressed('hold'), { timeout: SEEN_WITHIN_MS }).toBe('true');
    await expect.poll(() => eventOn('ChannelHold', agentLeg).length, { timeout: SEEN_WITHIN_MS }).toBe(1);
    expect(eventOn('ChannelHold', agentLeg)[0]!.event).toMatchObject({ musicclass: 'default' });
    await expect.poll(() => requested('POST', moh), { timeout: SEEN_WITHIN_MS }).toBe(started + 1);
    expect(media()).toMatchObject({ direction: 'recvonly', holds: 1 });
    expect(await desk.locator('#call-status').textContent()).toBe('已保持');
    // Nothing goes to the held browser: the simulator's count stands still, and so does the browser's,
    // while the browser's own (silent) packets go on arriving.
    await browserSent(media, 10);
    const sentHeld = media().rtpSent;
    const inboundHeld = await inboundPackets();
    await browserSent(media);
    expect(media().rtpSent).toBe(sentHeld);
    expect(await inboundPackets()).toBe(inboundHeld);
    await screenshot(desk, 'agent-desktop-held');

    // Unhold: the music stops, audio flows both ways again, with sound from the browser.
    const stopped = requested('DELETE', moh);
    await desk.click('#hold');
    await expect.poll(() => pressed('hold'), { timeout: SEEN_WITHIN_MS }).toBe('false');
    await expect.poll(() => eventOn('ChannelUnhold', agentLeg).length, { timeout: SEEN_WITHIN_MS }).toBe(1);
    await expect.poll(() => requested('DELETE', moh), { timeout: SEEN_WITHIN_MS }).toBe(stopped + 1);
    expect(media().direction).toBe('sendrecv');
    await rising(() => media().rtpSent);
    await rising(inboundPackets);
    await rising(() => media().audibleReceived);
    expect(await desk.locator('#call-status').textContent()).toBe('通话中');

    // Mute is the browser's own: packets still come, none with sound, until unmuted. No ARI event, no music.
    await desk.click('#mute');
    await expect.poll(() => pressed('mute'), { timeout: SEEN_WITHIN_MS }).toBe('true');
    await browserSent(media, 10);
    const audibleMuted = media().audibleReceived;
    await browserSent(media);
    expect(media().audibleReceived).toBe(audibleMuted);
    expect(requested('POST', moh)).toBe(started + 1);
    await desk.click('#mute');
    await expect.poll(() => pressed('mute'), { timeout: SEEN_WITHIN_MS }).toBe('false');
    await rising(() => media().audibleReceived);

    // A key from the page's keypad: an RFC 4733 event, a DTMF event on the agent's channel.
    await desk.click('[data-dtmf="7"]');
    await expect.poll(() => media().dtmfReceived, { timeout: SEEN_WITHIN_MS }).toContain('7');
    await expect.poll(() => eventOn('ChannelDtmfReceived', agentLeg).some((e) => e.event.digit === '7'), { timeout: SEEN_WITHIN_MS }).toBe(true);

    // 110, three-way, from the page: the centre joins caller and agent.
    expect(await desk.locator('#emergency-mode').inputValue()).toBe('three-way');
    await desk.click('[data-route="emergency-linkage"]');
    await expect.poll(() => talkBridge(h, callId)?.channels.length, { timeout: SEEN_WITHIN_MS }).toBe(3);
    const centre = talkBridge(h, callId)!.channels.find((c) => c !== channelId && c !== agentLeg)!;
    expect(simChannel(h, centre)?.caller.number).toBe('13912345678');
    await expect.poll(() => desk.locator('#third-party-status').textContent(), { timeout: SEEN_WITHIN_MS }).toMatch(/110.*(三方|three-way)/);
    await screenshot(desk, 'agent-desktop-three-way');

    // The agent leaves from the page: caller and 110 stay connected, the agent wraps up.
    await desk.click('#hangup');
    await expect.poll(agentState, { timeout: SEEN_WITHIN_MS }).toBe('wrap-up');
    await expect.poll(() => talkBridge(h, callId)?.channels.slice().sort().join(), { timeout: SEEN_WITHIN_MS }).toBe([channelId, centre].sort().join());
    expect(simChannel(h, channelId)?.state).toBe('Up');
    expect(simChannel(h, centre)?.state).toBe('Up');
    await expect.poll(() => desk.locator('#hangup').isDisabled(), { timeout: SEEN_WITHIN_MS }).toBe(true);

    h.sim.hangupFromCaller(channelId);
    expect((await h.ended(channelId)).data.outcome).toBe('transferred');
    await desk.click('#wrap-up-end');
    await expect.poll(agentState, { timeout: SEEN_WITHIN_MS }).toBe('ready');
  }, PAGE_TEST_MS * 2);

  it('a consultation from the page: 110 is called while the caller waits with music, the caller joins, the unit is let go, each step a button on the page', async () => {
    const { channelId, callId, agentLeg } = await answeredCall('13912340000');
    const moh = `/channels/${channelId}/moh`;
    const started = requested('POST', moh);
    const stopped = requested('DELETE', moh);
    const unit = `emg-${callId}-c1`;

    // The routes are the centre's: 110 first, the caller waiting with music by default.
    expect(await desk.locator('#consult-route').inputValue()).toBe('emergency-linkage');
    expect(await desk.locator('#consult-hold').isChecked()).toBe(true);
    expect(await desk.locator('#consult-join').isDisabled()).toBe(true);
    await desk.click('#consult');
    await expect.poll(() => talkBridge(h, callId)?.channels.slice().sort().join(), { timeout: SEEN_WITHIN_MS }).toBe([agentLeg, unit].sort().join());
    expect(requested('POST', moh)).toBe(started + 1);
    expect(simChannel(h, channelId)?.state).toBe('Up');
    await expect.poll(() => desk.locator('#third-party-status').textContent(), { timeout: SEEN_WITHIN_MS }).toContain('110');
    await screenshot(desk, 'agent-desktop-consulting');

    await desk.click('#consult-join');
    await expect.poll(() => talkBridge(h, callId)?.channels.length, { timeout: SEEN_WITHIN_MS }).toBe(3);
    expect(requested('DELETE', moh)).toBe(stopped + 1);
    await expect.poll(() => desk.locator('#consult-join').isDisabled(), { timeout: SEEN_WITHIN_MS }).toBe(true);

    await desk.click('#consult-end');
    await expect.poll(() => simChannel(h, unit), { timeout: SEEN_WITHIN_MS }).toBeUndefined();
    await expect.poll(() => talkBridge(h, callId)?.channels.slice().sort().join(), { timeout: SEEN_WITHIN_MS }).toBe([agentLeg, channelId].sort().join());
    await expect.poll(() => desk.locator('#consult-end').isDisabled(), { timeout: SEEN_WITHIN_MS }).toBe(true);
    expect(await desk.locator('#consult').isDisabled()).toBe(false);

    await desk.click('#hangup');
    expect((await h.ended(channelId)).data.outcome).toBe('completed');
    await expect.poll(agentState, { timeout: SEEN_WITHIN_MS }).toBe('wrap-up');
    await desk.click('#wrap-up-end');
    await expect.poll(agentState, { timeout: SEEN_WITHIN_MS }).toBe('ready');
  }, PAGE_TEST_MS * 2);
});
