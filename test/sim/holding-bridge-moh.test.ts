/**
 * Music on hold in a holding bridge (trace s13): the bridge's MOH takes its one announcer
 * slot, so bridge playbacks and announcer channels fail while it plays; stopMoh twice is a
 * 409; participants hear no BRIDGEPEER; and which bridge deletions send BridgeDestroyed.
 */
import { describe, expect, it } from 'vitest';
import { useSimWithEvents } from './support/sim-with-events.js';
import { ariCaller } from './support/ari-http.js';

const t = useSimWithEvents();
const ari = ariCaller(() => t.sim.url);
const finished = (id: string) => t.ev.next('PlaybackFinished', (e) => (e.playback as { id: string }).id === id);
/** A caller in the app, answered. */
const caller = async (): Promise<string> => {
  const ch = t.sim.placeCall({ from: '1000', dialled: '12345' }) as { id: string };
  await ari('POST', `/channels/${ch.id}/answer`);
  return ch.id;
};
/** A second channel in the app: an originated Local agent-echo that has entered Stasis. */
const announcerChannel = async (id: string): Promise<void> => {
  await ari('POST', `/channels?endpoint=Local%2Fagent-echo%40ari-helper&app=hotline&appArgs=announcer&channelId=${id}`);
  await t.ev.next('StasisStart', (e) => (e.channel as { id: string }).id === id);
};

describe('a holding bridge with music on hold', () => {
  it('fails bridge playbacks at once and throws an announcer channel out, until the music stops', async () => {
    const [a, b] = [await caller(), await caller()];
    await ari('POST', '/bridges?type=holding&bridgeId=hold');
    expect((await ari('POST', '/bridges/hold/moh?mohClass=default')).status).toBe(204);
    await ari('POST', `/bridges/hold/addChannel?channel=${a},${b}`);
    expect(t.ev.frames.filter((f) => f.type === 'ChannelVarset' && f.variable === 'BRIDGEPEER')).toEqual([]);

    expect((await ari('POST', '/bridges/hold/play?media=sound:queue-thankyou&playbackId=p1')).status).toBe(201);
    expect(await finished('p1')).toMatchObject({ playback: { state: 'failed' } });
    await announcerChannel('ann1');
    expect((await ari('POST', '/bridges/hold/addChannel?channel=ann1&role=announcer')).status).toBe(204);
    await t.ev.next('ChannelLeftBridge', (e) => (e.channel as { id: string }).id === 'ann1');
    expect((await ari('POST', '/bridges/hold/removeChannel?channel=ann1')).body).toEqual({ message: 'Channel not in this bridge' });

    expect((await ari('DELETE', '/bridges/hold/moh')).status).toBe(204);
    expect(await ari('DELETE', '/bridges/hold/moh')).toEqual({ status: 409, body: { message: "Bridge isn't playing music" } });
    await ari('POST', '/bridges/hold/play?media=sound:queue-thankyou&playbackId=p2');
    expect(await finished('p2')).toMatchObject({ playback: { state: 'done' } });
  });

  it('with an announcer channel holding the slot, startMoh answers 204 but plays nothing', async () => {
    await ari('POST', '/bridges?type=holding&bridgeId=hold');
    await announcerChannel('ann2');
    await ari('POST', '/bridges/hold/addChannel?channel=ann2&role=announcer');
    expect((await ari('POST', '/bridges/hold/moh')).status).toBe(204);
    await ari('POST', '/bridges/hold/removeChannel?channel=ann2');
    expect((await ari('DELETE', '/bridges/hold/moh')).status).toBe(409);
  });

  it('a channel playback to a participant plays to it alone', async () => {
    const a = await caller();
    await ari('POST', '/bridges?type=holding&bridgeId=hold');
    await ari('POST', '/bridges/hold/moh');
    await ari('POST', `/bridges/hold/addChannel?channel=${a}`);
    await ari('POST', `/channels/${a}/play?media=sound:hello-world&playbackId=p3`);
    expect(await finished('p3')).toMatchObject({ playback: { state: 'done', target_uri: `channel:${a}` } });
  });
});

describe('BridgeDestroyed', () => {
  it('comes only for a bridge the app still follows: subscribed to, or one a channel hung up in', async () => {
    await ari('POST', '/bridges?type=mixing&bridgeId=never-used');
    await ari('DELETE', '/bridges/never-used');
    const a = await caller();
    await ari('POST', '/bridges?type=mixing&bridgeId=left');
    await ari('POST', `/bridges/left/addChannel?channel=${a}`);
    await ari('POST', `/bridges/left/removeChannel?channel=${a}`);
    await ari('DELETE', '/bridges/left');
    await ari('POST', '/bridges?type=mixing&bridgeId=with-member');
    await ari('POST', `/bridges/with-member/addChannel?channel=${a}`);
    await ari('DELETE', '/bridges/with-member');
    await ari('POST', '/bridges?type=mixing&bridgeId=subscribed');
    await ari('POST', '/applications/hotline/subscription?eventSource=bridge:subscribed');
    await ari('DELETE', '/bridges/subscribed');
    await ari('POST', '/bridges?type=mixing&bridgeId=hung-up-in');
    await ari('POST', `/bridges/hung-up-in/addChannel?channel=${a}`);
    t.sim.hangupFromCaller(a);
    await ari('DELETE', '/bridges/hung-up-in');
    await t.ev.next('BridgeDestroyed', (e) => (e.bridge as { id: string }).id === 'hung-up-in');
    expect(t.ev.frames.filter((f) => f.type === 'BridgeDestroyed').map((f) => (f.bridge as { id: string }).id)).toEqual(['subscribed', 'hung-up-in']);
  });
});
