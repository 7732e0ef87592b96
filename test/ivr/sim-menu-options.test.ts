/**
 * The example main menu through the ARI simulator, option by option (0 and 4 are in
 * sim-whole-call.test.ts), and what it does with no key or a wrong one. The clock is a
 * working-day morning, so every schedule of the example is open.
 */
import { describe, expect, it } from 'vitest';
import { callAndPress, hear, pathOf, played, useSimCalls, varsSet, zh } from './support/sim-call.js';

const start = useSimCalls();

const ANNOUNCEMENTS = zh('welcome-12345', 'call-recorded', 'emergency-notice');

describe('the main menu through the simulator, option by option', () => {
  it('1: general matters in the day shift → the general queue', async () => {
    const { h } = await start();
    const { channel, ended } = await callAndPress(h, [['main-menu', '1']]);
    expect(ended.data.outcome).toBe('transferred');
    expect(pathOf(h, ended.callId)).toEqual(['announcements::heard', 'main-menu:1:option-1', 'general-hours::open', 'general-agent::queue:general']);
    expect(played(h, channel.id)).toEqual([...ANNOUNCEMENTS, ...zh('main-menu', 'transferring-to-agent')]);
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_QUEUE: 'general', HOTLINE_SKILL: 'general', HOTLINE_PRIORITY: '5', QUEUE_PRIO: '5', HOTLINE_LINE: 'main' });
  });

  it('2: the enterprise line in its hours → the enterprise queue with its skill and priority', async () => {
    const { h } = await start();
    const { channel, ended } = await callAndPress(h, [['main-menu', '2']]);
    expect(ended.data.outcome).toBe('transferred');
    expect(pathOf(h, ended.callId)).toEqual([
      'announcements::heard',
      'main-menu:2:option-2',
      'enterprise-hours::open',
      'enterprise-agent::queue:enterprise',
    ]);
    expect(played(h, channel.id).slice(-1)).toEqual(zh('transferring-to-agent'));
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_QUEUE: 'enterprise', HOTLINE_SKILL: 'enterprise', HOTLINE_PRIORITY: '6' });
  });

  it('3: ticket progress asks for the number; hanging up there abandons the call', async () => {
    const { h } = await start();
    const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
    await hear(h, channel.id, 'main-menu');
    h.sim.pressDigits(channel.id, '3');
    await hear(h, channel.id, 'ticket-enter-number');
    h.sim.hangupFromCaller(channel.id);
    const ended = await h.ended(channel.id);
    expect(ended.data).toMatchObject({ outcome: 'abandoned', endedBy: 'caller' });
    expect(pathOf(h, ended.callId)).toEqual(['announcements::heard', 'main-menu:3:option-3']);
    expect(varsSet(h, channel.id)).not.toHaveProperty('HOTLINE_QUEUE');
  });

  it('9: the emergency key in the menu → the emergency linkage route', async () => {
    const { h } = await start();
    const { channel, ended } = await callAndPress(h, [['main-menu', '9']]);
    expect(ended.data.outcome).toBe('transferred');
    expect(pathOf(h, ended.callId)).toEqual(['announcements::heard', 'main-menu:9:emergency-key', 'emergency-key::emergency:emergency-linkage']);
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_ROUTE: 'emergency-linkage', HOTLINE_LINE: 'main' });
    expect(varsSet(h, channel.id)).not.toHaveProperty('HOTLINE_QUEUE');
    expect(h.events.find((e) => e.callId === ended.callId && e.type === 'call.transferred')?.data).toMatchObject({ target: 'emergency:emergency-linkage' });
  });
});

describe('no key and a wrong key, through the simulator', () => {
  it('no key: the "no input" prompt and the menu again, and a key then chooses', async () => {
    // Half a second: the key comes while the menu plays again (100 ms), long before that.
    const { h } = await start({ inputTimeoutMs: 500 });
    const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
    await hear(h, channel.id, 'main-menu', 2);
    h.sim.pressDigits(channel.id, '2');
    const ended = await h.ended(channel.id);
    expect(ended.data.outcome).toBe('transferred');
    expect(played(h, channel.id)).toEqual([...ANNOUNCEMENTS, ...zh('main-menu', 'no-input', 'main-menu', 'transferring-to-agent')]);
    expect(pathOf(h, ended.callId)).toEqual([
      'announcements::heard',
      'main-menu::timeout',
      'main-menu:2:option-2',
      'enterprise-hours::open',
      'enterprise-agent::queue:enterprise',
    ]);
  });

  it('no key at all: after the retries the caller goes on to the menu\'s onFail node, never dropped', async () => {
    // Nobody presses anything: how long each wait lasts changes nothing but the test's length.
    const { h, config } = await start({ inputTimeoutMs: 200 });
    const menu = config.ivr!.nodes['main-menu'];
    if (menu?.kind !== 'menu') throw new Error('the example has no main-menu menu');
    expect(menu).toMatchObject({ retries: 2, onFail: 'general-agent' });
    const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
    const ended = await h.ended(channel.id);
    expect(ended.data.outcome).toBe('transferred');
    expect(played(h, channel.id)).toEqual([
      ...ANNOUNCEMENTS,
      ...zh('main-menu', 'no-input', 'main-menu', 'no-input', 'main-menu', 'transferring-to-agent'),
    ]);
    expect(pathOf(h, ended.callId)).toEqual([
      'announcements::heard',
      'main-menu::timeout',
      'main-menu::timeout',
      'main-menu::timeout:retries-exhausted',
      `${menu.onFail}::queue:general`,
    ]);
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_QUEUE: 'general', HOTLINE_SKILL: 'general', HOTLINE_PRIORITY: '5' });
  });

  it('an invalid key: the "invalid" prompt and the menu again, and a valid key then chooses', async () => {
    const { h } = await start();
    const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
    await hear(h, channel.id, 'main-menu');
    h.sim.pressDigits(channel.id, '7');
    await hear(h, channel.id, 'main-menu', 2);
    h.sim.pressDigits(channel.id, '4');
    const ended = await h.ended(channel.id);
    expect(ended.data.outcome).toBe('transferred');
    expect(played(h, channel.id)).toEqual([...ANNOUNCEMENTS, ...zh('main-menu', 'invalid-key', 'main-menu', 'transferring-96345')]);
    expect(pathOf(h, ended.callId)).toEqual([
      'announcements::heard',
      'main-menu:7:invalid',
      'main-menu:4:option-4',
      'utilities-transfer::transfer:96345',
    ]);
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_TRANSFER_NUMBER: '96345' });
  });
});
