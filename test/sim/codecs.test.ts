/**
 * Codec negotiation and translation paths in the simulator, as in a stock Asterisk 22
 * (no codec_opus): a browser agent that negotiates Opus cannot be played to and cannot be
 * bridged with the carrier's A-law leg; with the shipped agent endpoints it negotiates G.722
 * and both work. With codec_opus installed (the README's Opus option) Opus works too.
 */
import { describe, expect, it } from 'vitest';
import type { AriSimulator } from '../../sim/index.js';
import type { EventsClient } from './support/events-client.js';
import { ari, useMediaSim } from './support/media-sim.js';

const start = useMediaSim();
/** What Chromium's SDP offers, in its order. */
const BROWSER = ['opus', 'g722', 'ulaw', 'alaw'];
/** The agent endpoints as shipped before: Opus first. */
const OPUS_AGENT = { '1001': { allow: ['opus', 'alaw', 'ulaw'] } };

const post = (s: AriSimulator, path: string) => ari(s, 'POST', path);

/** Originates agent 1001 into the app; its browser answers offering `codecs`. */
async function agent(s: AriSimulator, e: EventsClient, codecs: string[]): Promise<string> {
  s.setEndpointBehaviour('PJSIP/1001', { kind: 'answer', afterMs: 100, codecs });
  expect((await post(s, '/channels?endpoint=PJSIP%2F1001&app=hotline&appArgs=agent&channelId=agent-1')).status).toBe(200);
  await e.next('StasisStart', (f) => (f.channel as { id: string }).id === 'agent-1');
  return 'agent-1';
}

async function playState(s: AriSimulator, e: EventsClient, channelId: string, media: string): Promise<string> {
  const id = `pb-${channelId}`;
  expect((await post(s, `/channels/${channelId}/play?media=${media}&playbackId=${id}&lang=zh`)).status).toBe(201);
  const finished = await e.next('PlaybackFinished', (f) => (f.playback as { id: string }).id === id);
  return (finished.playback as { state: string }).state;
}

async function nativeFormat(s: AriSimulator, channelId: string): Promise<string> {
  const res = await ari(s, 'GET', `/channels/${channelId}/variable?variable=${encodeURIComponent('CHANNEL(audionativeformat)')}`);
  return ((await res.json()) as { value: string }).value;
}

/** Bridges the citizen and the agent; returns the bridge's event types for the agent. */
async function bridge(s: AriSimulator, e: EventsClient, citizen: string, agentId: string): Promise<string[]> {
  expect((await post(s, '/bridges?bridgeId=main-1&type=mixing')).status).toBe(200);
  expect((await post(s, `/bridges/main-1/addChannel?channel=${citizen}`)).status).toBe(204);
  expect((await post(s, `/bridges/main-1/addChannel?channel=${agentId}`)).status).toBe(204);
  // Events arrive in order on the socket: once this one is in, every bridge event before it is.
  expect((await post(s, '/events/user/after-join?application=hotline')).status).toBe(204);
  await e.next('ChannelUserevent', (f) => f.eventname === 'after-join');
  return e.frames
    .filter((f) => (f.type === 'ChannelEnteredBridge' || f.type === 'ChannelLeftBridge') && (f.channel as { id: string }).id === agentId)
    .map((f) => f.type as string);
}

describe('an agent whose browser negotiates Opus on a stock Asterisk', () => {
  it('hears no prompt: the playback fails for want of a translation path', async () => {
    const { s, e, lines } = await start({ endpoints: OPUS_AGENT });
    const id = await agent(s, e, BROWSER);
    expect(await nativeFormat(s, id)).toBe('(opus)');

    expect(await playState(s, e, id, 'sound:hotline/zh/transferring-to-agent')).toBe('failed');

    expect(lines).toContainEqual('WARNING channel.c: Unable to find a codec translation path: (slin) -> (opus)');
    expect(s.soundsPlayed(id)).toEqual([expect.objectContaining({ error: expect.stringContaining('(slin) -> (opus)') })]);
  });

  it('cannot be bridged with the carrier A-law leg: it is put in and thrown out again', async () => {
    const { s, e, lines } = await start({ endpoints: OPUS_AGENT });
    const citizen = s.placeCall({ from: '13800138000', dialled: '12345' });
    const id = await agent(s, e, BROWSER);

    expect(await bridge(s, e, citizen.id, id)).toEqual(['ChannelEnteredBridge', 'ChannelLeftBridge']);

    expect(s.bridges()).toEqual([expect.objectContaining({ id: 'main-1', channels: [citizen.id] })]);
    expect(lines).toContainEqual(expect.stringMatching(/No path to translate from PJSIP\/carrier-\w+ to PJSIP\/1001-\w+/));
  });

  it('works with codec_opus installed (the README option)', async () => {
    const { s, e } = await start({ endpoints: OPUS_AGENT, codecOpus: true });
    const citizen = s.placeCall({ from: '13800138000', dialled: '12345' });
    const id = await agent(s, e, BROWSER);

    expect(await playState(s, e, id, 'sound:hotline/zh/transferring-to-agent')).toBe('done');
    expect(await bridge(s, e, citizen.id, id)).toEqual(['ChannelEnteredBridge']);
  });
});

describe('the shipped agent endpoints', () => {
  it('negotiate G.722 with the same browser: prompts play and the bridge with A-law holds', async () => {
    const { s, e } = await start();
    const citizen = s.placeCall({ from: '13800138000', dialled: '12345' });
    const id = await agent(s, e, BROWSER);
    expect(await nativeFormat(s, id)).toBe('(g722)');
    expect(await nativeFormat(s, citizen.id)).toBe('(alaw)');

    expect(await playState(s, e, id, 'sound:hotline/zh/transferring-to-agent')).toBe('done');
    expect(await bridge(s, e, citizen.id, id)).toEqual(['ChannelEnteredBridge']);
    expect(s.bridges()).toEqual([expect.objectContaining({ id: 'main-1', channels: [citizen.id, id] })]);
  });

  it('two Opus parties need no translation: a bridge between them holds even without codec_opus', async () => {
    const { s, e } = await start({ endpoints: { ...OPUS_AGENT, 'opus-trunk': { allow: ['opus'] } } });
    const caller = s.placeCall({ from: '13800138000', dialled: '12345', endpoint: 'opus-trunk' });
    const id = await agent(s, e, BROWSER);

    expect(await bridge(s, e, caller.id, id)).toEqual(['ChannelEnteredBridge']);
  });

  it('a caller offering no codec the endpoint allows is refused (488), and no channel is made', async () => {
    const { s } = await start();
    expect(() => s.placeCall({ from: '13800138000', dialled: '12345', codecs: ['opus', 'g729'] })).toThrow(/No codec in common/);
    expect(s.channels()).toEqual([]);
  });
});
