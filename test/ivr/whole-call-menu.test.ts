/**
 * Whole calls through the IVR flow on an in-memory call (the session's CallContext double):
 * each option of the example menu, timeouts, invalid keys, barge-in, hours, merged numbers,
 * direct-to-human mode.
 */
import { describe, expect, it } from 'vitest';
import { beijing } from './support/example-config.js';
import { HANDED_OFF, harness } from './support/whole-call-harness.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();


describe('the example menu, option by option', () => {
  it('1: general matters in the day shift → general queue', async () => {
    const h = harness({ redis });
    const { call, result } = await h.call();
    await call.playUntil('main-menu');
    expect(call.prompts).toEqual(['welcome-12345', 'call-recorded', 'emergency-notice', 'main-menu']);
    await call.finishPlay();
    await call.press('1');
    await call.playUntil();
    expect(await result).toEqual(HANDED_OFF);
    expect(h.ports.calls).toEqual([{ port: 'queue', request: { queue: 'general', skill: 'general', priority: 5, line: 'main', reason: 'menu' } }]);
    expect(call.steps.map((s) => `${s.node}:${s.outcome}`)).toEqual([
      'announcements:heard',
      'main-menu:option-1',
      'general-hours:open',
      'general-agent:queue:general',
    ]);
  });

  it('2: enterprise line in opening hours → enterprise queue with its skill', async () => {
    const h = harness({ redis });
    const { call, result } = await h.call();
    await call.playUntil('main-menu');
    await call.press('2');
    await call.playUntil();
    expect(await result).toEqual(HANDED_OFF);
    expect(h.ports.calls[0]).toEqual({ port: 'queue', request: expect.objectContaining({ queue: 'enterprise', skill: 'enterprise', priority: 6 }) });
  });

  it('3: ticket progress → the number is asked for and read back', async () => {
    const h = harness({ redis });
    const { call, result } = await h.call();
    await call.playUntil('main-menu');
    await call.press('3');
    await call.playUntil('ticket-enter-number');
    await call.press('123456#');
    await call.playUntil('ticket-enter-number');
    expect(call.prompts).toContain('ticket-not-found');
    await call.hangup();
    expect(await result).toEqual({ then: 'caller-gone' });
  });

  it('4: utilities → transfer to 96345', async () => {
    const h = harness({ redis });
    const { call, result } = await h.call();
    await call.playUntil('main-menu');
    await call.press('4');
    await call.playUntil();
    expect(await result).toEqual(HANDED_OFF);
    expect(call.prompts.at(-1)).toBe('transferring-96345');
    expect(h.ports.calls).toEqual([{ port: 'numberTransfer', request: { number: '96345', label: 'utilities repair hotline' } }]);
  });

  it('0: an agent', async () => {
    const h = harness({ redis });
    const { call, result } = await h.call();
    await call.playUntil('main-menu');
    await call.press('0');
    await call.playUntil();
    expect(await result).toEqual(HANDED_OFF);
    expect(h.ports.calls[0]?.request).toMatchObject({ queue: 'general' });
  });
});

describe('input handling', () => {
  it('timeout and retry: no key plays the no-input prompt and the menu again; a key then works', async () => {
    const h = harness({ redis });
    const { call, result } = await h.call();
    await call.playUntil('main-menu');
    await call.finishPlay();
    await call.fireTimers();
    await call.playUntil('main-menu');
    expect(call.prompts.slice(-2)).toEqual(['no-input', 'main-menu']);
    await call.press('0');
    await call.playUntil();
    expect(await result).toEqual(HANDED_OFF);
    expect(call.steps.filter((s) => s.node === 'main-menu').map((s) => s.outcome)).toEqual(['timeout', 'option-0']);
  });

  it('after the last retry the caller still reaches an agent', async () => {
    const h = harness({ redis });
    const { call, result } = await h.call();
    for (let i = 0; i < 3; i += 1) {
      await call.playUntil();
      await call.fireTimers();
    }
    await call.playUntil();
    expect(await result).toEqual(HANDED_OFF);
    expect(call.steps.find((s) => s.outcome === 'timeout:retries-exhausted')).toMatchObject({ node: 'main-menu', next: 'general-agent' });
  });

  it('an invalid key plays the invalid prompt and the menu again', async () => {
    const h = harness({ redis });
    const { call, result } = await h.call();
    await call.playUntil('main-menu');
    await call.finishPlay();
    await call.press('7');
    expect(call.nowPlaying).toBe('invalid-key');
    await call.playUntil('main-menu');
    await call.press('4');
    await call.playUntil();
    await result;
    expect(call.steps.find((s) => s.outcome === 'invalid')).toMatchObject({ node: 'main-menu', input: '7' });
  });

  it('barge-in: a key during the menu prompt stops it and chooses', async () => {
    const h = harness({ redis });
    const { call, result } = await h.call();
    await call.playUntil('main-menu');
    const menuPlay = call.current;
    await call.press('2');
    expect(call.current).not.toBe(menuPlay);
    expect(call.nowPlaying).toBe('transferring-to-agent');
    await call.playUntil();
    await result;
    expect(call.steps.find((s) => s.node === 'main-menu')).toMatchObject({ input: '2', outcome: 'option-2' });
  });

  it('the emergency key during the greeting transfers at once', async () => {
    const h = harness({ redis });
    const { call, result } = await h.call();
    expect(call.nowPlaying).toBe('welcome-12345');
    await call.press('9');
    expect(await result).toEqual(HANDED_OFF);
    expect(h.ports.calls).toEqual([{ port: 'emergency', request: { route: 'emergency-linkage' } }]);
    expect(call.steps[0]).toMatchObject({ node: 'announcements', input: '9', outcome: 'emergency-key' });
  });

  it('the caller hanging up mid-menu ends the flow as caller-gone, timers released', async () => {
    const h = harness({ redis });
    const { call, result } = await h.call();
    await call.playUntil('main-menu');
    await call.finishPlay();
    await call.hangup();
    expect(await result).toEqual({ then: 'caller-gone' });
    expect(call.timers.filter((t) => t.active)).toEqual([]);
  });
});

describe('calendars', () => {
  it('closed hours: at night the enterprise line takes a callback request', async () => {
    const h = harness({ redis, now: beijing('2026-11-18T23:30:00') });
    const { call, result } = await h.call();
    await call.playUntil('main-menu');
    await call.press('2');
    await call.playUntil('enterprise-closed-menu');
    await call.press('1');
    await call.playUntil();
    expect(await result).toEqual(HANDED_OFF);
    expect(h.ports.calls).toEqual([{ port: 'callbackRequest', request: { reason: 'enterprise-after-hours', line: 'main' } }]);
  });

  it('a public holiday (National Day) closes the enterprise line', async () => {
    const h = harness({ redis, now: beijing('2026-10-02T10:00:00') });
    const { call, result } = await h.call();
    await call.playUntil('main-menu');
    await call.press('2');
    await call.playUntil('enterprise-closed-menu');
    await call.press('0');
    await call.playUntil();
    await result;
    expect(h.ports.calls[0]?.request).toMatchObject({ queue: 'night' });
  });

  it('a make-up working day (Saturday 10 Oct 2026) opens it', async () => {
    const h = harness({ redis, now: beijing('2026-10-10T10:00:00') });
    const { call, result } = await h.call();
    await call.playUntil('main-menu');
    await call.press('2');
    await call.playUntil();
    await result;
    expect(h.ports.calls[0]?.request).toMatchObject({ queue: 'enterprise' });
  });
});

describe('lines and modes', () => {
  it('a merged number (96128) keeps its own greeting and skill', async () => {
    const h = harness({ redis });
    const { call, result } = await h.call({ line: 'housing-96128', dialled: '96128' });
    await call.playUntil();
    expect(await result).toEqual(HANDED_OFF);
    expect(call.prompts[0]).toBe('welcome-96128');
    expect(h.ports.calls).toEqual([{ port: 'queue', request: { queue: 'housing', skill: 'housing-fund', priority: 5, line: 'housing-96128', reason: 'menu' } }]);
  });

  it('direct-to-human mode: straight to the queue after the announcements', async () => {
    const h = harness({ redis, edit: (raw) => (raw.ivr.mode = 'direct-to-human') });
    const { call, result } = await h.call();
    await call.playUntil();
    expect(await result).toEqual(HANDED_OFF);
    expect(call.prompts).toEqual(['welcome-12345', 'call-recorded', 'emergency-notice', 'transferring-to-agent']);
    expect(h.ports.calls[0]?.request).toMatchObject({ queue: 'general', reason: 'direct-to-human' });
  });

  it('direct-to-human mode: the emergency key is live during the announcements', async () => {
    const h = harness({ redis, edit: (raw) => (raw.ivr.mode = 'direct-to-human') });
    const { call, result } = await h.call();
    await call.playUntil('call-recorded');
    await call.press('9');
    expect(await result).toEqual(HANDED_OFF);
    expect(h.ports.calls).toEqual([{ port: 'emergency', request: { route: 'emergency-linkage' } }]);
  });
});
