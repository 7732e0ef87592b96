/**
 * The screen pop's pure assembly (a call record, the ticket backend's answers and the
 * actor's role → what the desk shows), its masking by role, the caller id an agent's phone
 * is rung with, and the time-boxed look-ups against the in-memory ticket client.
 */
import { describe, expect, it } from 'vitest';
import { AcdConfigSchema } from '../../src/acd/index.js';
import { ScreenPopConfigSchema, agentPhoneCallerId, assembleScreenPop, lookUpCaller, type CallerFacts, type CallerLookups } from '../../src/acd/screen-pop/index.js';
import type { CallRecord } from '../../src/calls/index.js';
import { MemoryTicketClient } from '../../src/crm-bridge/index.js';
import { routingConfig } from './support.js';

const NOW = Date.parse('2026-12-02T10:00:30.000Z');
const config = ScreenPopConfigSchema.parse({});
const masking = ScreenPopConfigSchema.parse({ wholeNumberRoles: ['supervisor'] });

function record(overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    callId: 'call-1',
    channelId: '1733112233.45',
    caller: { number: '13912345678', name: '张三' },
    dialled: '12345',
    line: 'main',
    phases: { entered: '2026-12-02T10:00:00.000Z' },
    path: [
      { at: '2026-12-02T10:00:05.000Z', node: 'announcements', input: null, outcome: 'heard' },
      { at: '2026-12-02T10:00:09.000Z', node: 'main-menu', input: '2', outcome: 'option-2' },
      { at: '2026-12-02T10:00:12.000Z', node: 'callback-number', input: '13800001111', outcome: 'collected' },
      { at: '2026-12-02T10:00:15.000Z', node: 'general-agent', input: null, outcome: 'queue:general' },
    ],
    adopted: false,
    lastEventSequence: 7,
    queue: { queue: 'general', enqueuedAt: '2026-12-02T10:00:15.000Z', priority: 0, offeredTo: ['a1001'] },
    ...overrides,
  };
}

const TICKET = { ticketNumber: '2026112000042', state: 'in-progress' as const, handlingUnit: '市住建局', createdAt: '2026-11-20T08:00:00+08:00', summary: '小区路灯不亮' };
const facts = (overrides: Partial<CallerFacts> = {}): CallerFacts => ({ tickets: [TICKET], contacts: 3, lookup: 'ok', ...overrides });
const ringing = { callId: 'call-1', queue: 'general', agentState: 'ringing' as const };

describe('the screen pop as a role may see it', () => {
  it('shows an agent the whole number, the name, the line, the menu path with its keys, the wait so far and the open tickets', () => {
    const view = assembleScreenPop({ call: ringing, record: record(), facts: facts(), role: 'agent', config, now: NOW });
    expect(view).toMatchObject({
      callId: 'call-1',
      queue: 'general',
      agentState: 'ringing',
      caller: { number: '13912345678', masked: false, name: '张三' },
      dialled: '12345',
      line: 'main',
      wait: { enqueuedAt: '2026-12-02T10:00:15.000Z', waitedMs: 15_000 },
      repeatCaller: { days: 30, threshold: 3, contacts: 3, repeat: true },
      tickets: [TICKET],
      lookup: 'ok',
    });
    expect(view.path.map((s) => [s.node, s.input])).toEqual([
      ['announcements', null],
      ['main-menu', '2'],
      ['callback-number', '13800001111'],
      ['general-agent', null],
    ]);
  });

  it('masks the number, hides the name and masks numbers keyed in the menu for a role not allowed the whole number', () => {
    const view = assembleScreenPop({ call: ringing, record: record(), facts: facts(), role: 'agent', config: masking, now: NOW });
    expect(view.caller).toEqual({ number: '139******78', masked: true, name: null });
    expect(view.path.map((s) => s.input)).toEqual([null, '2', '138******11', null]);
    // The supervisor, listed, still sees it whole.
    expect(assembleScreenPop({ call: ringing, record: record(), facts: facts(), role: 'supervisor', config: masking, now: NOW }).caller.number).toBe('13912345678');
    // An admin sees what the list gives: not listed by default.
    expect(assembleScreenPop({ call: ringing, record: record(), facts: facts(), role: 'admin', config, now: NOW }).caller.masked).toBe(true);
  });

  it('flags a repeat caller at the threshold, not below it, and says nothing when the count did not come', () => {
    const below = assembleScreenPop({ call: ringing, record: record(), facts: facts({ contacts: 2 }), role: 'agent', config, now: NOW });
    expect(below.repeatCaller).toEqual({ days: 30, threshold: 3, contacts: 2, repeat: false });
    const unknown = assembleScreenPop({ call: ringing, record: record(), facts: facts({ contacts: null, tickets: null, lookup: 'unavailable' }), role: 'agent', config, now: NOW });
    expect(unknown).toMatchObject({ repeatCaller: { contacts: null, repeat: null }, tickets: null, lookup: 'unavailable' });
  });

  it('once answered, the wait is the one the queue noted; a call with no queue note has no wait', () => {
    const answered = record({ queue: { ...record().queue!, waitedMs: 4200, answeredAt: '2026-12-02T10:00:19.200Z' } });
    expect(assembleScreenPop({ call: { ...ringing, agentState: 'on-call' }, record: answered, facts: facts(), role: 'agent', config, now: NOW + 60_000 }).wait).toEqual({
      enqueuedAt: '2026-12-02T10:00:15.000Z',
      waitedMs: 4200,
    });
    const { queue: _none, ...unqueued } = record();
    expect(assembleScreenPop({ call: ringing, record: unqueued, facts: facts(), role: 'agent', config, now: NOW }).wait).toEqual({ enqueuedAt: null, waitedMs: null });
  });

  it("a caller without a name shows none; a withheld number stays as it came", () => {
    const anonymous = record({ caller: { number: 'anonymous', name: '' } });
    expect(assembleScreenPop({ call: ringing, record: anonymous, facts: facts(), role: 'agent', config, now: NOW }).caller).toEqual({ number: 'anonymous', masked: false, name: null });
  });
});

describe("the caller id an agent's phone is rung with", () => {
  it('is the whole number when agents see whole numbers, the masked one when they do not', () => {
    expect(agentPhoneCallerId('13912345678', config)).toBe('13912345678');
    expect(agentPhoneCallerId('13912345678', masking)).toBe('139******78');
    // Service numbers of 5 digits or fewer are no one's personal data.
    expect(agentPhoneCallerId('12345', masking)).toBe('12345');
  });

  it('the ACD config carries the defaults: agents and supervisors see whole numbers, 3 contacts in 30 days flag a repeat caller', () => {
    const acd = AcdConfigSchema.parse(routingConfig);
    expect(acd.screenPop).toEqual({ wholeNumberRoles: ['agent', 'supervisor'], repeatCallerDays: 30, repeatCallerThreshold: 3, lookupTimeoutMs: 1500 });
    expect(() => AcdConfigSchema.parse({ ...routingConfig, screenPop: { wholeNumberRoles: ['citizen'] } })).toThrow(/wholeNumberRoles/);
  });
});

describe('the look-ups at the ticket backend', () => {
  const seeded = () =>
    new MemoryTicketClient(
      {
        tickets: [
          { ...TICKET, callerNumber: '13912345678' },
          { ticketNumber: '2026110100007', state: 'closed', createdAt: '2026-11-01T08:00:00+08:00', callerNumber: '13912345678' },
          { ticketNumber: '2026111500003', state: 'accepted', createdAt: '2026-11-15T08:00:00+08:00', callerNumber: '13700000000' },
        ],
        contacts: { '13912345678': ['2026-12-01T09:00:00Z', '2026-11-28T09:00:00Z', '2026-10-01T09:00:00Z'] },
      },
      () => NOW,
    );

  it("asks for the caller's open tickets and contacts in the configured days", async () => {
    const { facts: found, failures } = await lookUpCaller(seeded(), '13912345678', config);
    expect(failures).toEqual([]);
    expect(found).toEqual({ tickets: [TICKET], contacts: 2, lookup: 'ok' });
  });

  it('a backend that does not answer in time gives an unavailable pop, within the time box', async () => {
    const silent: CallerLookups = { openTicketsOf: () => new Promise(() => undefined), repeatCallerCount: () => new Promise(() => undefined) };
    const { facts: found, failures } = await lookUpCaller(silent, '13912345678', { ...config, lookupTimeoutMs: 50 });
    expect(found).toEqual({ tickets: null, contacts: null, lookup: 'unavailable' });
    expect(failures).toHaveLength(2);
  });

  it('one question failing leaves the other answer: partial', async () => {
    const client = seeded();
    const halfAway: CallerLookups = { openTicketsOf: (n, s) => client.openTicketsOf(n, s), repeatCallerCount: async () => Promise.reject(new Error('circuit open')) };
    const { facts: found } = await lookUpCaller(halfAway, '13912345678', config);
    expect(found).toEqual({ tickets: [TICKET], contacts: null, lookup: 'partial' });
  });

  it('no backend configured, or no number to look up: nothing is asked', async () => {
    expect((await lookUpCaller(undefined, '13912345678', config)).facts.lookup).toBe('unconfigured');
    const never: CallerLookups = { openTicketsOf: () => Promise.reject(new Error('asked')), repeatCallerCount: () => Promise.reject(new Error('asked')) };
    expect((await lookUpCaller(never, 'anonymous', config)).facts).toEqual({ tickets: null, contacts: null, lookup: 'no-number' });
  });
});
