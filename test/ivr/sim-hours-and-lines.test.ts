/**
 * What the calendar, the merged numbers and the menu mode change for a whole call through
 * the ARI simulator: closed hours, a national holiday and a make-up working day (the 2026
 * calendar of the example), 96128's own entry, and direct-to-human mode.
 */
import { describe, expect, it } from 'vitest';
import { beijing } from './support/example-config.js';
import { callAndPress, pathOf, played, useSimCalls, varsSet, zh } from './support/sim-call.js';

const start = useSimCalls();

const ANNOUNCEMENTS = zh('welcome-12345', 'call-recorded', 'emergency-notice');

describe('opening hours and the working-day calendar, through the simulator', () => {
  // Wednesday 18 November 2026, an ordinary working day, after the day shift (07:00–22:00).
  const WORKDAY_NIGHT = beijing('2026-11-18T23:30:00');

  it('closed hours: general matters at night go to the night team', async () => {
    const { h } = await start({ at: WORKDAY_NIGHT });
    const { channel, ended } = await callAndPress(h, [['main-menu', '1']]);
    expect(ended.data.outcome).toBe('transferred');
    expect(pathOf(h, ended.callId)).toEqual(['announcements::heard', 'main-menu:1:option-1', 'general-hours::closed', 'night-agent::queue:night']);
    expect(played(h, channel.id)).toEqual([...ANNOUNCEMENTS, ...zh('main-menu', 'night-service')]);
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_QUEUE: 'night', HOTLINE_SKILL: 'general', HOTLINE_PRIORITY: '5' });
  });

  it('closed hours: the enterprise line offers a callback request, handed to the dialplan with its reason', async () => {
    const { h } = await start({ at: WORKDAY_NIGHT });
    const { channel, ended } = await callAndPress(h, [['main-menu', '2'], ['enterprise-closed-menu', '1']]);
    expect(ended.data.outcome).toBe('transferred');
    expect(pathOf(h, ended.callId)).toEqual([
      'announcements::heard',
      'main-menu:2:option-2',
      'enterprise-hours::closed',
      'enterprise-closed:1:option-1',
      'enterprise-callback::callback-request:enterprise-after-hours',
    ]);
    expect(played(h, channel.id).slice(-2)).toEqual(zh('enterprise-closed-menu', 'callback-taken'));
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_CALLBACK_REASON: 'enterprise-after-hours', HOTLINE_LINE: 'main' });
    expect(varsSet(h, channel.id)).not.toHaveProperty('HOTLINE_QUEUE');
  });

  it('a national holiday (2 October 2026, 10:00) closes the enterprise line; 0 reaches the night team', async () => {
    const { h } = await start({ at: beijing('2026-10-02T10:00:00') });
    const { channel, ended } = await callAndPress(h, [['main-menu', '2'], ['enterprise-closed-menu', '0']]);
    expect(ended.data.outcome).toBe('transferred');
    expect(pathOf(h, ended.callId)).toEqual([
      'announcements::heard',
      'main-menu:2:option-2',
      'enterprise-hours::closed',
      'enterprise-closed:0:option-0',
      'night-agent::queue:night',
    ]);
    expect(played(h, channel.id).slice(-2)).toEqual(zh('enterprise-closed-menu', 'night-service'));
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_QUEUE: 'night' });
  });

  it('a make-up working day (Saturday 10 October 2026, 10:00) opens the enterprise line', async () => {
    const { h } = await start({ at: beijing('2026-10-10T10:00:00') });
    const { channel, ended } = await callAndPress(h, [['main-menu', '2']]);
    expect(ended.data.outcome).toBe('transferred');
    expect(pathOf(h, ended.callId)).toEqual([
      'announcements::heard',
      'main-menu:2:option-2',
      'enterprise-hours::open',
      'enterprise-agent::queue:enterprise',
    ]);
    expect(played(h, channel.id)).not.toContain(zh('enterprise-closed-menu')[0]);
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_QUEUE: 'enterprise', HOTLINE_SKILL: 'enterprise', HOTLINE_PRIORITY: '6' });
  });
});

describe('a merged number, through the simulator', () => {
  it('96128 hears its own greeting and, in office hours, reaches the housing fund queue with its skill', async () => {
    const { h } = await start();
    const channel = h.sim.placeCall({ from: '13912345678', dialled: '96128' });
    const ended = await h.ended(channel.id);
    expect(ended.data.outcome).toBe('transferred');
    expect(h.record(ended.callId)?.line).toBe('housing-96128');
    expect(played(h, channel.id)).toEqual(zh('welcome-96128', 'call-recorded', 'emergency-notice', 'transferring-to-agent'));
    expect(pathOf(h, ended.callId)).toEqual(['announcements::heard', 'housing-hours::open', 'housing-agent::queue:housing']);
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_QUEUE: 'housing', HOTLINE_SKILL: 'housing-fund', HOTLINE_PRIORITY: '5', HOTLINE_LINE: 'housing-96128' });
  });
});

describe('direct-to-human mode, through the simulator', () => {
  const directToHuman = (raw: Record<string, any>): void => {
    raw.ivr.mode = 'direct-to-human';
  };

  it('straight to the line\'s agent queue after the announcements, no menu', async () => {
    const { h } = await start({ edit: directToHuman });
    const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
    const ended = await h.ended(channel.id);
    expect(ended.data.outcome).toBe('transferred');
    expect(played(h, channel.id)).toEqual([...ANNOUNCEMENTS, ...zh('transferring-to-agent')]);
    expect(pathOf(h, ended.callId)).toEqual(['announcements::direct-to-human', 'general-agent::queue:general']);
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_QUEUE: 'general', HOTLINE_SKILL: 'general', HOTLINE_PRIORITY: '5', HOTLINE_LINE: 'main' });
  });

  it('the emergency key is live during the announcements', async () => {
    // Ten minutes of the second announcement: the key is sure to land while it plays.
    const { h } = await start({ edit: directToHuman, soundDurationsMs: { 'hotline/zh/call-recorded': 600_000 } });
    const { channel, ended } = await callAndPress(h, [['call-recorded', '9']]);
    expect(ended.data.outcome).toBe('transferred');
    expect(pathOf(h, ended.callId)).toEqual(['announcements:9:emergency-key', 'emergency-key::emergency:emergency-linkage']);
    expect(played(h, channel.id)).not.toContain(zh('transferring-to-agent')[0]);
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_ROUTE: 'emergency-linkage' });
    expect(varsSet(h, channel.id)).not.toHaveProperty('HOTLINE_QUEUE');
  });
});
