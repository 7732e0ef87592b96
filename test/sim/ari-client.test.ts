/**
 * The real ari-client, unchanged, against the simulator: connect (api-docs download),
 * start the app, take an inbound call, answer, play, hear PlaybackFinished, hang up.
 */
import ari, { type AriClient } from 'ari-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAriSimulator, type AriSimulator } from '../../sim/index.js';

let sim: AriSimulator;

beforeAll(async () => {
  sim = await startAriSimulator({ username: 'ari', password: 'secret', speed: 20 });
});
afterAll(async () => {
  await sim.close();
});

function once<T>(client: AriClient, type: string): Promise<T> {
  return new Promise((resolve) => client.once(type, (event: T) => resolve(event)));
}

describe('real ari-client against the simulator', () => {
  it('answers an inbound call, plays a prompt and hangs up', async () => {
    const client = await ari.connect(sim.url, 'ari', 'secret');
    await client.start('hotline');
    const started = once<{ args: string[]; channel: { id: string; state: string } }>(client, 'StasisStart');
    const placed = sim.placeCall({ from: '13800000000', fromName: 'Citizen', dialled: '12345' });
    const start = await started;
    expect(start.args).toEqual(['12345']);
    expect(start.channel.id).toBe(placed.id);
    expect(start.channel.state).toBe('Ring');
    const channelId = start.channel.id;

    await client.channels.answer!({ channelId });
    const finished = once<{ playback: { id: string; state: string; media_uri: string } }>(client, 'PlaybackFinished');
    const playback = (await client.channels.play!({ channelId, media: 'sound:hello-world', playbackId: 'pb-1' })) as { id: string };
    expect(playback.id).toBe('pb-1');
    expect((await finished).playback).toMatchObject({ id: 'pb-1', state: 'done', media_uri: 'sound:hello-world' });

    const ended = once<{ channel: { id: string } }>(client, 'StasisEnd');
    await client.channels.hangup!({ channelId });
    expect((await ended).channel.id).toBe(channelId);
    await expect(client.channels.get!({ channelId })).rejects.toThrow('{"message":"Channel not found"}');
    client.stop();
  });
});
