/**
 * The known faults of ari-client 2.2.0, each shown guarded, against the simulator:
 * - an event type missing from its events.json throws inside its socket handler;
 * - per-channel listeners leak (the adapter registers none; counts stay flat);
 * - a REST call made while Asterisk is down never settles;
 * - the password travels in the socket URL (it never reaches a log line).
 * Short reconnects are here too; the outage longer than ari-client's retry window has
 * its own file.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from '../../src/ari/port.js';
import { isAriError } from '../../src/ari/errors.js';
import { useFakeTimeouts } from './support/fake-time.js';
import { PASSWORD, SOON, startHarness, type Harness } from './support/sim-port.js';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
  vi.useRealTimers();
});

/** Parsed log lines whose message matches. */
const logged = (msg: RegExp): number => h!.logs.find(msg).length;

async function callAndStart(harness: Harness): Promise<string> {
  const placed = harness.sim.placeCall({ from: '13800138000', dialled: '12345' }) as { id: string };
  await harness.nextEvent('StasisStart', (e) => e.channel.id === placed.id);
  return placed.id;
}

describe('frames ari-client cannot process', () => {
  it('logs and drops an event type its events.json does not declare, and keeps going', async () => {
    h = await startHarness();
    h.sim.emitRaw({ type: 'ChannelTeleported', application: 'hotline', timestamp: '2026-11-21T19:20:47.221+0000' });
    await expect.poll(() => logged(/frame dropped/), SOON).toBeGreaterThan(0);
    expect(h.logs.find(/frame dropped/)[0]).toMatchObject({ level: 40, eventType: 'ChannelTeleported' });
    // The socket is still read: the next call arrives as usual.
    const id = await callAndStart(h);
    await h.ari.hangup(id);
    expect(h.ari.isConnected()).toBe(true);
  });

  it('sets aside a declared type the service does not handle, and an invalid one', async () => {
    h = await startHarness();
    h.sim.emitRaw({ type: 'ChannelDialplan', application: 'hotline', timestamp: 't', dialplan_app: 'NoOp', dialplan_app_data: '' });
    h.sim.emitRaw({ type: 'StasisStart', application: 'hotline', timestamp: 't', args: [] });
    await expect.poll(() => logged(/ARI event dropped: invalid/), SOON).toBeGreaterThan(0);
    await expect.poll(() => logged(/type not handled/), SOON).toBeGreaterThan(0);
    expect(h.logs.find(/ARI event dropped: invalid/)[0]).toMatchObject({ eventType: 'StasisStart' });
    expect(h.logs.find(/type not handled/)[0]).toMatchObject({ level: 20, eventType: 'ChannelDialplan' });
    expect(h.events.filter((e) => e.type === 'StasisStart')).toEqual([]);
  });

  it('keeps delivering to other listeners when one throws', async () => {
    h = await startHarness();
    h.ari.onEvent(() => {
      throw new Error('listener bug');
    });
    const id = await callAndStart(h);
    await h.ari.hangup(id);
    await h.nextEvent('StasisEnd', (e) => e.channel.id === id);
    expect(h.logs.find(/listener threw/).length).toBeGreaterThan(0);
  });
});

describe('listeners', () => {
  it('do not grow with the number of calls handled', async () => {
    h = await startHarness();
    const warmUp = await callAndStart(h);
    await h.ari.hangup(warmUp);
    const before = h.ari.listenerStats();
    for (let i = 0; i < 25; i++) {
      const id = await callAndStart(h);
      await h.ari.answer(id);
      await h.ari.play({ channelId: id }, ['sound:beep'], { playbackId: `leak-${i}` });
      await h.nextEvent('PlaybackFinished', (e) => e.playback.id === `leak-${i}`);
      await h.ari.hangup(id);
      await h.nextEvent('StasisEnd', (e) => e.channel.id === id);
    }
    expect(h.ari.listenerStats()).toEqual(before);
    expect(before.instance).toBe(0);
    expect(before.socketMessage).toBe(1);
  });

  it('unsubscribe removes a listener', async () => {
    h = await startHarness();
    const seen: string[] = [];
    const off = h.ari.onEvent((e) => seen.push(e.type));
    off();
    const id = await callAndStart(h);
    await h.ari.hangup(id);
    expect(seen).toEqual([]);
  });
});

describe('Asterisk unreachable', () => {
  it('times a REST call out instead of hanging, then recovers when Asterisk is back', async () => {
    h = await startHarness({ requestTimeoutMs: 300 });
    const states: ConnectionState[] = [];
    h.ari.onConnectionChange((s) => states.push(s));
    await h.sim.stopListening();
    await expect.poll(() => h!.ari.isConnected(), SOON).toBe(false);
    const error = await h.ari.getChannel('any').catch((e: unknown) => e);
    expect(isAriError(error, 'ari:timeout')).toBe(true);
    await h.sim.resumeListening();
    await expect.poll(() => h!.ari.isConnected(), SOON).toBe(true);
    expect(states).toEqual(['disconnected', 'connected']);
    const id = await callAndStart(h);
    await h.ari.hangup(id);
  });

  it('reconnects after the event sockets are dropped', async () => {
    h = await startHarness();
    const states: ConnectionState[] = [];
    h.ari.onConnectionChange((s) => states.push(s));
    h.sim.dropWebSockets();
    await expect.poll(() => states, SOON).toEqual(['disconnected', 'connected']);
    const id = await callAndStart(h);
    await h.ari.hangup(id);
  });

  it('retries a first connection until Asterisk answers', async () => {
    h = await startHarness();
    const url = h.sim.url;
    await h.sim.stopListening();
    const { AriClientAdapter } = await import('../../src/ari/ari-client-adapter.js');
    const late = new AriClientAdapter({
      url, username: 'hotline', password: PASSWORD, app: 'hotline-late',
      requestTimeoutMs: 500, reconnectMaxDelayMs: 200, connectTimeoutMs: 500, log: h.logs.log,
    });
    const connected = late.connect();
    await expect.poll(() => logged(/connection attempt failed/), SOON).toBeGreaterThanOrEqual(2);
    await h.sim.resumeListening();
    await connected;
    expect(late.isConnected()).toBe(true);
    await late.close();
  });
});

describe('api-docs refused', () => {
  it('a wrong password fails the attempt (swagger-client would throw it uncaught) and is retried', async () => {
    h = await startHarness();
    const { AriClientAdapter } = await import('../../src/ari/ari-client-adapter.js');
    const denied = new AriClientAdapter({
      url: h.sim.url, username: 'hotline', password: 'not-the-password', app: 'hotline-denied',
      requestTimeoutMs: 300, reconnectMaxDelayMs: 100, connectTimeoutMs: 500, log: h.logs.log,
    });
    const connecting = denied.connect();
    await expect.poll(() => logged(/connection attempt failed/), SOON).toBeGreaterThanOrEqual(3);
    const failures = h.logs.find(/connection attempt failed/);
    expect(failures[0]).toMatchObject({ error: { message: expect.stringContaining('401') } });
    expect(denied.isConnected()).toBe(false);
    await denied.close();
    await expect(connecting).rejects.toMatchObject({ code: 'ari:unavailable' });
  });
});

describe('close', () => {
  const appRegistered = (harness: Harness): boolean => {
    try {
      const placed = harness.sim.placeCall({ from: '13800138000', dialled: '12345', app: 'hotline' }) as { id: string };
      harness.sim.hangupFromCaller(placed.id);
      return true;
    } catch {
      return false; // the simulator refuses calls to an app with no event socket (409)
    }
  };

  it('stops the event socket for good, without reconnecting', async () => {
    h = await startHarness();
    expect(appRegistered(h)).toBe(true);
    const states: ConnectionState[] = [];
    h.ari.onConnectionChange((s) => states.push(s));
    const linesBefore = h.logs.lines.length;
    // Every timer armed from here on is the test's to run: a reconnect would need one.
    useFakeTimeouts();
    await h.ari.close();
    expect(h.ari.isConnected()).toBe(false);
    await expect.poll(() => appRegistered(h!), SOON).toBe(false);
    // Run out every timer, however far ahead (ari-client's backoff reaches 43 s): none is left
    // armed, and the app is still not registered.
    await vi.runAllTimersAsync();
    expect(vi.getTimerCount()).toBe(0);
    expect(appRegistered(h)).toBe(false);
    expect(h.logs.lines.slice(linesBefore).filter((l) => /connecting to ARI|WebSocket connected/.test(l))).toEqual([]);
    // Listeners hear the socket go, once, and nothing after.
    expect(states).toEqual(['disconnected']);
  });

  it('also when closed while ari-client is between reconnect attempts', async () => {
    h = await startHarness();
    useFakeTimeouts();
    await h.sim.stopListening();
    await expect.poll(() => logged(/WebSocket lost/), SOON).toBeGreaterThanOrEqual(2);
    await h.ari.close();
    await h.sim.resumeListening();
    // ari-client's next retry is armed and cannot be cancelled from outside; run it, and any
    // after it, now: each new socket is shut at once, and nothing is left armed.
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    await vi.runAllTimersAsync();
    expect(vi.getTimerCount()).toBe(0);
    expect(appRegistered(h)).toBe(false);
    expect(h.ari.isConnected()).toBe(false);
  });

  it('settles calls still pending', async () => {
    h = await startHarness({ requestTimeoutMs: 60_000 });
    await h.sim.stopListening();
    const pending = h.ari.getChannel('x').catch((e: unknown) => e);
    await h.ari.close();
    expect(isAriError(await pending, 'ari:unavailable')).toBe(true);
  });
});

describe('swagger-client chatter', () => {
  it('goes to the debug log, not stdout, and is not kept in memory', async () => {
    h = await startHarness();
    const chatter = h.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.from === 'swagger-client');
    expect(chatter[0]).toMatchObject({ level: 20, msg: expect.stringContaining('deprecated version of Swagger') });
    expect((globalThis as { log?: { history?: unknown } }).log?.history).toBeUndefined();
  });
});

describe('the password', () => {
  it('never appears in a log line: connect, reconnect, REST errors, timeouts, bad credentials', async () => {
    h = await startHarness({ requestTimeoutMs: 300 });
    await h.ari.getChannel('no-such').catch(() => {});
    h.sim.dropWebSockets();
    await expect.poll(() => logged(/WebSocket lost/), SOON).toBeGreaterThan(0);
    await expect.poll(() => h!.ari.isConnected(), SOON).toBe(true);
    await h.sim.stopListening();
    await expect.poll(() => h!.ari.isConnected(), SOON).toBe(false);
    await h.ari.answer('x').catch(() => {});
    await h.sim.resumeListening();
    await expect.poll(() => h!.ari.isConnected(), SOON).toBe(true);

    // Wrong credentials: the attempt fails, is logged, and retried.
    const { AriClientAdapter } = await import('../../src/ari/ari-client-adapter.js');
    const wrong = `${PASSWORD}-wrong`;
    const denied = new AriClientAdapter({
      url: h.sim.url, username: 'hotline', password: wrong, app: 'hotline-denied',
      requestTimeoutMs: 300, reconnectMaxDelayMs: 100, connectTimeoutMs: 500, log: h.logs.log,
    });
    void denied.connect().catch(() => {});
    await expect.poll(() => logged(/connection attempt failed/), SOON).toBeGreaterThanOrEqual(2);
    await denied.close();

    expect(h.logs.lines.length).toBeGreaterThan(10);
    for (const line of h.logs.lines) {
      expect(line).not.toContain(PASSWORD);
      expect(line).not.toContain(encodeURIComponent(PASSWORD));
      expect(line).not.toContain('api_key=hotline');
    }
  });
});
