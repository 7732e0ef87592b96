/**
 * The floor apps' call script (bench/support/floor-script.ts): the requests it makes for a
 * call, in order, whatever carries them. A fake transport records them; no network.
 */
import { describe, expect, it } from 'vitest';
import { FLOOR_AFTER_KEY, FLOOR_PROMPTS, FloorScript, type FloorOps } from '../../bench/support/floor-script.js';

function recorder(): { ops: FloorOps; requests: string[]; settle: () => Promise<void> } {
  const requests: string[] = [];
  const done = () => Promise.resolve();
  return {
    requests,
    ops: {
      answer: (c) => (requests.push(`answer ${c}`), done()),
      play: (c, media, id) => (requests.push(`play ${c} ${media} ${id}`), done()),
      stop: (id) => (requests.push(`stop ${id}`), done()),
      hangup: (c) => (requests.push(`hangup ${c}`), done()),
    },
    settle: () => new Promise((r) => setImmediate(r)),
  };
}

const finished = (channel: string, id: string) => ({ type: 'PlaybackFinished', playback: { id, target_uri: `channel:${channel}` } });
const lastPlayback = (requests: string[]) => requests.at(-1)!.split(' ').at(-1)!;

describe('the floor apps’ call script', () => {
  it('answers, plays the prompts in order, on a key stops the menu, plays the hand-over prompt and hangs up', async () => {
    const { ops, requests, settle } = recorder();
    const script = new FloorScript(ops);
    script.handle({ type: 'StasisStart', channel: { id: 'c1' } });
    await settle();
    expect(requests).toEqual(['answer c1', `play c1 sound:${FLOOR_PROMPTS[0]} floor-1`]);
    for (let i = 1; i < FLOOR_PROMPTS.length; i++) {
      script.handle(finished('c1', lastPlayback(requests)));
      await settle();
      expect(requests.at(-1)).toContain(`sound:${FLOOR_PROMPTS[i]}`);
    }
    const menu = lastPlayback(requests);
    script.handle({ type: 'ChannelDtmfReceived', channel: { id: 'c1' } });
    // The stopped menu's own PlaybackFinished, arriving before the next prompt is asked for, ends nothing.
    script.handle(finished('c1', menu));
    await settle();
    expect(requests.slice(-2)).toEqual([`stop ${menu}`, `play c1 sound:${FLOOR_AFTER_KEY} floor-${FLOOR_PROMPTS.length + 1}`]);
    script.handle(finished('c1', lastPlayback(requests)));
    await settle();
    expect(requests.at(-1)).toBe('hangup c1');
  });

  it('ignores a second key and events of channels it does not hold', async () => {
    const { ops, requests, settle } = recorder();
    const script = new FloorScript(ops);
    script.handle({ type: 'ChannelDtmfReceived', channel: { id: 'unknown' } });
    script.handle(finished('unknown', 'p'));
    await settle();
    expect(requests).toEqual([]);
    script.handle({ type: 'StasisStart', channel: { id: 'c2' } });
    await settle();
    script.handle({ type: 'ChannelDtmfReceived', channel: { id: 'c2' } });
    await settle();
    const count = requests.length;
    script.handle({ type: 'ChannelDtmfReceived', channel: { id: 'c2' } });
    await settle();
    expect(requests.length).toBe(count);
  });
});
