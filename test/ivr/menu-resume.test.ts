/**
 * The menu's position kept with the call, and a call taken over after a restart resuming
 * there: the node's prompt again (not the greeting), what earlier nodes took kept, a number
 * half typed dropped, and the call starting over when no usable position was kept.
 */
import { describe, expect, it } from 'vitest';
import type { FlowResult } from '../../src/calls/ports/call-flow.js';
import type { MenuPosition } from '../../src/ivr/engine/menu-position.js';
import { TicketBackendDouble } from './support/ports-double.js';
import { HANDED_OFF, harness } from './support/whole-call-harness.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();
const TICKET = '2026111800123';
const tickets = (): TicketBackendDouble => new TicketBackendDouble({ [TICKET]: { state: 'in-progress', handlingUnit: '市住建局', dueDate: '2026-11-25' } });

const adopted = (position: unknown) => ({ adopted: { recordFound: true, position } });

describe('the position the menu keeps', () => {
  it('names the node the caller is at, and what earlier nodes took, never digits half typed', async () => {
    const h = harness({ redis, tickets: tickets() });
    const { call } = await h.call();
    // During the greeting there is no node to resume at: a restart then plays the greeting again.
    expect(call.positions).toEqual([]);
    await call.playUntil('main-menu');
    expect(call.positions.at(-1)).toEqual({ node: 'main-menu', stage: 'node', caller: 'normal', route: 'menu', vars: {}, visits: { 'main-menu': 1 } });
    await call.press('3');
    await call.press(TICKET.slice(0, 4));
    expect(call.positions.at(-1)).toMatchObject({ node: 'ticket-number', stage: 'node', vars: {} });
    await call.press(`${TICKET.slice(4)}#`);
    await call.playUntil('ticket-after-menu');
    expect(call.positions.at(-1)).toMatchObject({ node: 'ticket-after', stage: 'node', vars: { ticket: TICKET } });
    await call.hangup();
  });
});

describe('a call taken over after a restart', () => {
  it('at the main menu hears the main menu again, and its keys work', async () => {
    const h = harness({ redis });
    const first = await h.call();
    await first.call.playUntil('main-menu');
    const at = first.call.positions.at(-1);
    await first.call.hangup();

    const { call, result } = await h.call(adopted(at));
    expect(call.prompts).toEqual(['main-menu']);
    expect(call.steps[0]).toMatchObject({ node: 'main-menu', input: null, outcome: 'resumed' });
    await call.press('1');
    await call.playUntil();
    expect(await result).toEqual(HANDED_OFF);
    expect(h.ports.calls).toEqual([{ port: 'queue', request: expect.objectContaining({ queue: 'general', reason: 'menu' }) }]);
  });

  it('typing a ticket number hears the request for the number again; the whole number is then looked up', async () => {
    const backend = tickets();
    const h = harness({ redis, tickets: backend });
    const first = await h.call();
    await first.call.playUntil('main-menu');
    await first.call.press('3');
    await first.call.press('2026');
    const at = first.call.positions.at(-1);
    await first.call.hangup();

    const { call } = await h.call(adopted(at));
    expect(call.prompts).toEqual(['ticket-enter-number']);
    await call.press(`${TICKET}#`);
    await call.playUntil('ticket-after-menu');
    // The four digits typed before the restart did not stick to the number typed after it.
    expect(backend.asked).toEqual([TICKET]);
    await call.hangup();
  });

  it('after a ticket look-up keeps the number taken and goes on from the menu after it', async () => {
    const h = harness({ redis, tickets: tickets() });
    const first = await h.call();
    await first.call.playUntil('main-menu');
    await first.call.press('3');
    await first.call.press(`${TICKET}#`);
    await first.call.playUntil('ticket-after-menu');
    const at = first.call.positions.at(-1) as MenuPosition;
    expect(at.vars).toEqual({ ticket: TICKET });
    await first.call.hangup();

    const { call, result } = await h.call(adopted(at));
    expect(call.prompts).toEqual(['ticket-after-menu']);
    await call.press('1');
    await call.playUntil('main-menu');
    expect(call.positions.at(-1)).toMatchObject({ node: 'main-menu', vars: { ticket: TICKET } });
    await call.hangup();
    expect(await result).toEqual({ then: 'caller-gone' });
  });

  it('the emergency key pressed as the call is taken over still leaves for the emergency route', async () => {
    const h = harness({ redis });
    const first = await h.call();
    await first.call.playUntil('main-menu');
    const at = first.call.positions.at(-1);
    await first.call.hangup();

    const { call } = await h.call(adopted(at));
    await call.press('9');
    await call.playUntil();
    expect(h.ports.calls[0]).toMatchObject({ port: 'emergency' });
    await call.hangup();
  });

  it('starts over with the greeting when the position is missing, unknown or garbled', async () => {
    const h = harness({ redis });
    const positions: unknown[] = [undefined, { node: 'no-such-node', stage: 'node', caller: 'normal', route: 'menu', vars: {}, visits: {} }, { node: 'main-menu' }, 'main-menu'];
    for (const position of positions) {
      const { call } = await h.call(adopted(position));
      expect(call.nowPlaying).toBe('welcome-12345');
      await call.hangup();
    }
    const lost = await h.call({ adopted: { recordFound: false, position: undefined } });
    expect(lost.call.nowPlaying).toBe('welcome-12345');
    await lost.call.hangup();
  });

  it('before a hand-off ran (its prompt playing) hears that prompt again and is handed on', async () => {
    const h = harness({ redis });
    const first = await h.call();
    await first.call.playUntil('main-menu');
    await first.call.press('0');
    await first.call.settle();
    expect(first.call.nowPlaying).toBe('transferring-to-agent');
    const at = first.call.positions.at(-1);
    expect(at).toMatchObject({ node: 'general-agent', stage: 'node' });
    await first.call.hangup();
    expect(h.ports.calls).toEqual([]);

    const { call, result } = await h.call(adopted(at));
    expect(call.prompts).toEqual(['transferring-to-agent']);
    await call.playUntil();
    expect(await result).toEqual(HANDED_OFF);
    expect(h.ports.calls).toEqual([{ port: 'queue', request: expect.objectContaining({ queue: 'general' }) }]);
  });

  it('past a hand-off (the queue node had run) is carried on by the queue: no greeting, no prompt, nothing queued again', async () => {
    const h = harness({ redis });
    const queued: MenuPosition = { node: 'general-agent', stage: 'action', caller: 'normal', route: 'menu', vars: {}, visits: { 'general-agent': 1 } };
    const resumed: unknown[] = [];
    h.ports.queue.resume = async (_call, request) => (resumed.push(request), HANDED_OFF);
    const { call, result } = await h.call(adopted(queued));
    expect(await result).toEqual(HANDED_OFF);
    expect(call.prompts).toEqual([]);
    expect(resumed).toEqual([expect.objectContaining({ queue: 'general', skill: 'general', priority: 5, emergency: expect.objectContaining({ key: expect.any(String) }) })]);
    expect(h.ports.calls).toEqual([]);
  });

  it('past a hand-off the queue holds no trace of: the node runs again (its prompt, the hand-off), never the greeting', async () => {
    const h = harness({ redis });
    h.ports.queue.resume = async () => undefined;
    const queued: MenuPosition = { node: 'general-agent', stage: 'action', caller: 'normal', route: 'menu', vars: {}, visits: { 'general-agent': 1 } };
    const { call, result } = await h.call(adopted(queued));
    expect(call.nowPlaying).toBe('transferring-to-agent');
    await call.playUntil();
    expect(await result).toEqual(HANDED_OFF);
    expect(call.prompts).not.toContain('welcome-12345');
    expect(h.ports.calls).toEqual([{ port: 'queue', request: expect.objectContaining({ queue: 'general' }) }]);
  });

  it('past the emergency key, the queue not answering: the emergency linkage still keeps the caller with the centre, nothing dialled again', async () => {
    const h = harness({ redis });
    // What a restart taking hundreds of calls over at once met: the ACD's read of the call timed out.
    h.ports.queue.resume = async () => {
      throw new Error('ACD resume: no answer within 1500 ms');
    };
    const kept: FlowResult = { then: 'hangup', outcome: 'transferred' };
    h.ports.emergency.resume = async () => kept;
    const put: MenuPosition = { node: 'emergency-key', stage: 'action', caller: 'normal', route: 'menu', vars: {}, visits: { 'main-menu': 1 } };
    const { call, result } = await h.call(adopted(put));
    expect(await result).toEqual(kept);
    expect(call.prompts).toEqual([]);
    expect(h.ports.calls).toEqual([]);
  });
});
