/**
 * Through the real service: a citizen asks for a ticket's status and hears its number and due
 * date read with the zh digits/ files in Chinese number mode, from the carrier endpoint as
 * shipped (a zh channel) and from an endpoint left at `en`, because the service passes the
 * prompts' language with every playback.
 */
import { describe, expect, it } from 'vitest';
import type { SoundPlayed } from '../../sim/index.js';
import type { Harness } from '../support/service-harness.js';
import { hear, useSimCalls } from '../ivr/support/sim-call.js';
import { TicketBackendDouble } from '../ivr/support/ports-double.js';

const start = useSimCalls();

const tickets = (): TicketBackendDouble =>
  new TicketBackendDouble({ '2026111800123': { state: 'in-progress', handlingUnit: '市住建局', dueDate: '2026-11-28' } });

/** Dials 12345 from `endpoint`, asks for the ticket's status and waits for the read-back to end. */
async function askForTicket(h: Harness, endpoint?: string): Promise<string> {
  const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345', ...(endpoint ? { endpoint } : {}) });
  await hear(h, channel.id, 'main-menu');
  h.sim.pressDigits(channel.id, '3');
  await hear(h, channel.id, 'ticket-enter-number');
  h.sim.pressDigits(channel.id, '2026111800123#');
  await hear(h, channel.id, 'ticket-after-menu');
  return channel.id;
}

/** The files the read-back's digits: and number: items played, in order. */
const spoken = (sounds: SoundPlayed[]) => sounds.filter((s) => /^(digits|number):/.test(s.media)).map((s) => s.file ?? `missing:${s.missing}`);

const zh = (...n: Array<string | number>) => n.map((x) => `zh/digits/${x}`);
const READ_BACK = [
  ...zh(2, 0, 2, 6, 1, 1, 1, 8, 0, 0, 1, 2, 3),
  // 11 月 28 日: 十一 (10, 1), 二十八 (20, 8).
  ...zh(10, 1),
  ...zh(20, 8),
];

describe('a ticket status read back by the service', () => {
  it('from the carrier (a zh channel): the number and the due date in Chinese, from zh/digits', async () => {
    const { h } = await start({ tickets: tickets() });
    const channelId = await askForTicket(h);

    expect(h.sim.channels().find((c) => c.id === channelId)).toMatchObject({ language: 'zh' });
    expect(spoken(h.sim.soundsPlayed(channelId))).toEqual(READ_BACK);
  });

  it('from an endpoint left at en: still Chinese, because every playback carries lang=zh', async () => {
    const { h } = await start({ tickets: tickets() });
    const channelId = await askForTicket(h, 'trunk');

    expect(h.sim.channels().find((c) => c.id === channelId)).toMatchObject({ language: 'en' });
    expect(spoken(h.sim.soundsPlayed(channelId))).toEqual(READ_BACK);
    expect(h.sim.soundsPlayed(channelId).every((s) => s.language === 'zh')).toBe(true);
  });
});
