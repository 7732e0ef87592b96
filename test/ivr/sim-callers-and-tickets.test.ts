/**
 * Through the ARI simulator: a priority caller skipping the menu, and self-service ticket
 * status (found, not found with its one retry, a backend that does not answer in time).
 */
import { describe, expect, it } from 'vitest';
import type { Harness } from '../support/service-harness.js';
import { hear, pathOf, played, useSimCalls, varsSet, zh } from './support/sim-call.js';
import { TicketBackendDouble } from './support/ports-double.js';

const start = useSimCalls();

const ANNOUNCEMENTS = zh('welcome-12345', 'call-recorded', 'emergency-notice');

describe('a priority caller, through the simulator', () => {
  it('a number added to the store skips the menu and is queued at the high priority', async () => {
    const { h, services, config } = await start();
    await services.priorityCallers.add('+86 139-1234-5678');
    const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
    const ended = await h.ended(channel.id);
    expect(ended.data.outcome).toBe('transferred');
    expect(played(h, channel.id)).toEqual([...ANNOUNCEMENTS, ...zh('transferring-to-agent')]);
    expect(pathOf(h, ended.callId)).toEqual(['caller-check::priority', 'announcements::priority-caller', 'general-agent::queue:general']);
    const high = String(config.ivr!.priorityCallers.priority);
    expect(high).toBe('9');
    expect(varsSet(h, channel.id)).toMatchObject({ HOTLINE_QUEUE: 'general', HOTLINE_SKILL: 'general', HOTLINE_PRIORITY: high, QUEUE_PRIO: high });
  });
});

describe('ticket status, through the simulator', () => {
  const tickets = (): TicketBackendDouble =>
    new TicketBackendDouble({ '2026111800123': { state: 'in-progress', handlingUnit: '市住建局', dueDate: '2026-11-25' } });

  /** Places a call, chooses 3 in the main menu and waits for the request for the number. */
  async function atTicketEntry(h: Harness): Promise<string> {
    const channel = h.sim.placeCall({ from: '13912345678', dialled: '12345' });
    await hear(h, channel.id, 'main-menu');
    h.sim.pressDigits(channel.id, '3');
    await hear(h, channel.id, 'ticket-enter-number');
    return channel.id;
  }

  it('found: the number, the state and the due date are read back, then the next-step menu', async () => {
    const { h, tickets: backend } = await start({ tickets: tickets() });
    const channelId = await atTicketEntry(h);
    h.sim.pressDigits(channelId, '2026111800123#');
    await hear(h, channelId, 'ticket-after-menu');
    h.sim.pressDigits(channelId, '0');
    const ended = await h.ended(channelId);
    expect(ended.data.outcome).toBe('transferred');
    expect(backend.asked).toEqual(['2026111800123']);
    expect(played(h, channelId)).toEqual([
      ...ANNOUNCEMENTS,
      ...zh('main-menu', 'ticket-enter-number', 'ticket-intro'),
      'digits:2026111800123',
      ...zh('ticket-state-in-progress', 'ticket-due-date'),
      'number:11',
      ...zh('month'),
      'number:25',
      ...zh('day', 'ticket-after-menu', 'transferring-to-agent'),
    ]);
    expect(pathOf(h, ended.callId)).toEqual([
      'announcements::heard',
      'main-menu:3:option-3',
      'ticket-number:2026111800123:collected',
      'ticket-lookup::found',
      'ticket-after:0:option-0',
      'general-agent::queue:general',
    ]);
    expect(varsSet(h, channelId)).toMatchObject({ HOTLINE_QUEUE: 'general' });
  });

  it('not found: a clear prompt and one more try, then an agent', async () => {
    const { h, tickets: backend } = await start({ tickets: tickets() });
    const channelId = await atTicketEntry(h);
    h.sim.pressDigits(channelId, '111111#');
    await hear(h, channelId, 'ticket-enter-number', 2);
    h.sim.pressDigits(channelId, '222222#');
    const ended = await h.ended(channelId);
    expect(ended.data.outcome).toBe('transferred');
    expect(backend.asked).toEqual(['111111', '222222']);
    expect(played(h, channelId).slice(-5)).toEqual(zh('ticket-enter-number', 'ticket-not-found', 'ticket-enter-number', 'ticket-not-found', 'transferring-to-agent'));
    expect(pathOf(h, ended.callId)).toEqual([
      'announcements::heard',
      'main-menu:3:option-3',
      'ticket-number:111111:collected',
      'ticket-lookup::retry',
      'ticket-number:222222:collected',
      'ticket-lookup::not-found',
      'general-agent::queue:general',
    ]);
    expect(varsSet(h, channelId)).toMatchObject({ HOTLINE_QUEUE: 'general' });
  });

  it('a backend that does not answer in time: the look-up is given up and the caller hears an apology, never silence', async () => {
    const backend = tickets();
    backend.hang = true;
    // The shortest sensible look-up time, so the call does not wait the example's 3 s.
    const { h } = await start({ tickets: backend, edit: (raw) => (raw.ivr.ticketStatus.timeoutMs = 300) });
    const channelId = await atTicketEntry(h);
    h.sim.pressDigits(channelId, '2026111800123#');
    const ended = await h.ended(channelId);
    expect(ended.data.outcome).toBe('transferred');
    expect(backend.sawAbort).toBe(true);
    expect(played(h, channelId).slice(-3)).toEqual(zh('ticket-enter-number', 'ticket-unavailable', 'transferring-to-agent'));
    expect(pathOf(h, ended.callId)).toEqual([
      'announcements::heard',
      'main-menu:3:option-3',
      'ticket-number:2026111800123:collected',
      'ticket-lookup::unavailable',
      'general-agent::queue:general',
    ]);
    expect(varsSet(h, channelId)).toMatchObject({ HOTLINE_QUEUE: 'general' });
  });
});
