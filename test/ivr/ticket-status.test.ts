/** Self-service ticket status through the whole menu: found, not found (one retry), backend slow or failing. */
import { describe, expect, it } from 'vitest';
import { readbackMedia } from '../../src/ivr/actions/ticket-status.js';
import { TicketStatusConfigSchema } from '../../src/ivr/ticket-status-config.js';
import { FakeCall } from './support/fake-call.js';
import { TicketBackendDouble } from './support/ports-double.js';
import { harness } from './support/whole-call-harness.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();

const tickets = () =>
  new TicketBackendDouble({
    '2026111800123': { state: 'in-progress', handlingUnit: '市住建局', dueDate: '2026-11-25' },
    '2026100100007': { state: 'closed' },
  });

async function toTicketEntry(h: ReturnType<typeof harness>) {
  const started = await h.call();
  await started.call.playUntil('main-menu');
  await started.call.press('3');
  await started.call.playUntil('ticket-enter-number');
  return started;
}

describe('ticket status', () => {
  it('found: reads the number, the state and the due date back, then offers the next step', async () => {
    const h = harness({ redis, tickets: tickets() });
    const { call, result } = await toTicketEntry(h);
    await call.press('2026111800123#');
    expect(call.current?.media).toEqual([
      'prompt:ticket-intro',
      'digits:2026111800123',
      'prompt:ticket-state-in-progress',
      'prompt:ticket-due-date',
      'number:11',
      'prompt:month',
      'number:25',
      'prompt:day',
    ]);
    expect(call.current?.options.bargeIn).toBe(false);
    await call.playUntil('ticket-after-menu');
    await call.press('0');
    await call.playUntil();
    expect(await result).toEqual({ then: 'handed-off', outcome: 'transferred' });
    expect(h.tickets.asked).toEqual(['2026111800123']);
    expect(call.steps.find((s) => s.node === 'ticket-number')).toMatchObject({ input: '2026111800123', outcome: 'collected' });
    expect(call.steps.find((s) => s.node === 'ticket-lookup')).toMatchObject({ outcome: 'found', next: 'ticket-after' });
  });

  it('not found: a clear prompt and one retry, then an agent', async () => {
    const h = harness({ redis, tickets: tickets() });
    const { call, result } = await toTicketEntry(h);
    await call.press('111111#');
    expect(call.nowPlaying).toBe('ticket-not-found');
    await call.playUntil('ticket-enter-number');
    await call.press('222222#');
    expect(call.nowPlaying).toBe('ticket-not-found');
    await call.playUntil();
    expect(await result).toEqual({ then: 'handed-off', outcome: 'transferred' });
    expect(h.tickets.asked).toEqual(['111111', '222222']);
    expect(call.steps.filter((s) => s.node === 'ticket-lookup').map((s) => s.outcome)).toEqual(['retry', 'not-found']);
    expect(h.ports.calls[0]?.request).toMatchObject({ queue: 'general' });
  });

  it('a slow backend times out into an apology, never a silent line', async () => {
    const backend = tickets();
    backend.hang = true;
    const h = harness({ redis, tickets: backend });
    const { call, result } = await toTicketEntry(h);
    await call.press('2026111800123#');
    expect(call.current).toBeNull();
    await call.fireTimers(); // the look-up's time is up
    expect(backend.sawAbort).toBe(true);
    expect(call.nowPlaying).toBe('ticket-unavailable');
    await call.playUntil();
    expect(await result).toEqual({ then: 'handed-off', outcome: 'transferred' });
    expect(call.steps.find((s) => s.node === 'ticket-lookup')).toMatchObject({ outcome: 'unavailable' });
  });

  it('a failing backend gives the same apology', async () => {
    const backend = tickets();
    backend.fail = true;
    const h = harness({ redis, tickets: backend });
    const { call, result } = await toTicketEntry(h);
    await call.press('2026111800123#');
    expect(call.nowPlaying).toBe('ticket-unavailable');
    await call.playUntil();
    await result;
    expect(call.steps.find((s) => s.node === 'ticket-lookup')).toMatchObject({ outcome: 'unavailable' });
  });

  it('too short a number is refused before the backend is asked', async () => {
    const h = harness({ redis, tickets: tickets() });
    const { call, result } = await toTicketEntry(h);
    await call.press('12#');
    expect(call.nowPlaying).toBe('invalid-key');
    await call.hangup();
    await result;
    expect(h.tickets.asked).toEqual([]);
  });

  it('a closed ticket is read back without a due date', () => {
    const media = readbackMedia(new FakeCall(), { ticketNumber: '2026100100007', state: 'closed', dueDate: '2026-10-09' }, TicketStatusConfigSchema.parse({}));
    expect(media).toEqual(['prompt:ticket-intro', 'digits:2026100100007', 'prompt:ticket-state-closed']);
  });
});
