import { describe, expect, it } from 'vitest';
import { applyAgentCommand, type AgentCommand, type AgentState } from '../../src/acd/index.js';

const T0 = 1_700_000_000_000;
const NOW = T0 + 60_000;
const states: Record<string, AgentState> = {
  offline: { kind: 'offline', since: T0 },
  ready: { kind: 'ready', since: T0, idleSince: T0 - 5000 },
  'not-ready': { kind: 'not-ready', since: T0, idleSince: T0 - 5000, reason: 'lunch' },
  ringing: { kind: 'ringing', since: T0, idleSince: T0 - 5000, callId: 'c1', queue: 'general' },
  'on-call': { kind: 'on-call', since: T0, callId: 'c1', queue: 'general' },
  'wrap-up': { kind: 'wrap-up', since: T0, callId: 'c1', queue: 'general', until: NOW + 10_000 },
};
const commands: Record<string, AgentCommand> = {
  login: { type: 'login' },
  logout: { type: 'logout' },
  'set-ready': { type: 'set-ready' },
  pause: { type: 'pause', reason: 'training' },
  offer: { type: 'offer', callId: 'c2', queue: 'general' },
  answer: { type: 'answer', callId: 'c1' },
  missed: { type: 'missed', callId: 'c1' },
  'caller-gone': { type: 'caller-gone', callId: 'c1' },
  'hang-up': { type: 'hang-up', callId: 'c1', wrapUpSeconds: 30 },
  'end-wrap-up': { type: 'end-wrap-up' },
  'extend-wrap-up': { type: 'extend-wrap-up', seconds: 30 },
  'wrap-up-expired': { type: 'wrap-up-expired' },
};

// Rows: commands; columns: offline, ready, not-ready, ringing, on-call, wrap-up.
// A state kind is where the agent goes; `acd:…` is the refusal's code.
const table: Record<string, string[]> = {
  login: ['ready', 'acd:already-logged-in', 'acd:already-logged-in', 'acd:already-logged-in', 'acd:already-logged-in', 'acd:already-logged-in'],
  logout: ['acd:agent-offline', 'offline', 'offline', 'acd:agent-busy', 'acd:agent-busy', 'offline'],
  'set-ready': ['acd:agent-offline', 'ready', 'ready', 'acd:agent-busy', 'acd:agent-busy', 'ready'],
  pause: ['acd:agent-offline', 'not-ready', 'not-ready', 'acd:agent-busy', 'acd:agent-busy', 'not-ready'],
  offer: ['acd:agent-offline', 'ringing', 'acd:agent-busy', 'acd:agent-busy', 'acd:agent-busy', 'acd:agent-busy'],
  answer: ['acd:agent-offline', 'acd:agent-not-ringing', 'acd:agent-not-ringing', 'on-call', 'acd:agent-not-ringing', 'acd:agent-not-ringing'],
  missed: ['acd:agent-offline', 'acd:agent-not-ringing', 'acd:agent-not-ringing', 'ready', 'acd:agent-not-ringing', 'acd:agent-not-ringing'],
  'caller-gone': ['acd:agent-offline', 'acd:agent-not-ringing', 'acd:agent-not-ringing', 'ready', 'acd:agent-not-ringing', 'acd:agent-not-ringing'],
  'hang-up': ['acd:agent-offline', 'acd:agent-not-on-call', 'acd:agent-not-on-call', 'acd:agent-not-on-call', 'wrap-up', 'acd:agent-not-on-call'],
  'end-wrap-up': ['acd:agent-offline', 'acd:agent-not-in-wrap-up', 'acd:agent-not-in-wrap-up', 'acd:agent-not-in-wrap-up', 'acd:agent-not-in-wrap-up', 'ready'],
  'extend-wrap-up': ['acd:agent-offline', 'acd:agent-not-in-wrap-up', 'acd:agent-not-in-wrap-up', 'acd:agent-not-in-wrap-up', 'acd:agent-not-in-wrap-up', 'wrap-up'],
  'wrap-up-expired': ['acd:agent-offline', 'acd:agent-not-in-wrap-up', 'acd:agent-not-in-wrap-up', 'acd:agent-not-in-wrap-up', 'acd:agent-not-in-wrap-up', 'acd:wrap-up-not-over'],
};

function outcome(state: AgentState, command: AgentCommand, now = NOW): string {
  const t = applyAgentCommand(state, command, now);
  return t.ok ? t.state.kind : t.refusal.code;
}

describe('agent state machine', () => {
  const columns = Object.keys(states);
  for (const [command, row] of Object.entries(table)) {
    it(`${command}: ${columns.map((c, i) => `${c}→${row[i]}`).join(', ')}`, () => {
      expect(columns.map((c) => outcome(states[c]!, commands[command]!))).toEqual(row);
    });
  }

  it('covers every command and refuses with 409 and a message naming the state', () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(commands).sort());
    const t = applyAgentCommand(states['on-call']!, { type: 'offer', callId: 'c2', queue: 'general' }, NOW);
    expect(t).toEqual({ ok: false, refusal: { code: 'acd:agent-busy', status: 409, message: 'agent is on-call; cannot offer' } });
  });

  it('logs in ready, or not ready with a reason', () => {
    expect(applyAgentCommand(states.offline!, { type: 'login' }, NOW)).toEqual({ ok: true, state: { kind: 'ready', since: NOW, idleSince: NOW } });
    expect(applyAgentCommand(states.offline!, { type: 'login', reason: 'training' }, NOW)).toEqual({
      ok: true,
      state: { kind: 'not-ready', since: NOW, idleSince: NOW, reason: 'training' },
    });
  });

  it('refuses a command about another call than the one the agent holds', () => {
    for (const [state, command] of [
      ['ringing', { type: 'answer', callId: 'c9' }],
      ['ringing', { type: 'missed', callId: 'c9' }],
      ['ringing', { type: 'caller-gone', callId: 'c9' }],
      ['on-call', { type: 'hang-up', callId: 'c9', wrapUpSeconds: 30 }],
    ] as const) {
      expect(outcome(states[state]!, command), `${state} ${command.type}`).toBe('acd:wrong-call');
    }
  });

  it('keeps the idle time through a pause, gives it back when the caller leaves first, and resets it after a miss or a call', () => {
    const kept = (t: ReturnType<typeof applyAgentCommand>) => (t.ok && 'idleSince' in t.state ? t.state.idleSince : null);
    expect(kept(applyAgentCommand(states.ready!, { type: 'pause', reason: 'lunch' }, NOW))).toBe(T0 - 5000);
    expect(kept(applyAgentCommand(states['not-ready']!, { type: 'set-ready' }, NOW))).toBe(T0 - 5000);
    expect(kept(applyAgentCommand(states.ringing!, { type: 'caller-gone', callId: 'c1' }, NOW))).toBe(T0 - 5000);
    expect(kept(applyAgentCommand(states.ringing!, { type: 'missed', callId: 'c1' }, NOW))).toBe(NOW);
    expect(kept(applyAgentCommand(states['wrap-up']!, { type: 'end-wrap-up' }, NOW))).toBe(NOW);
  });

  it('pauses a missing agent with the reason it is given', () => {
    expect(applyAgentCommand(states.ringing!, { type: 'missed', callId: 'c1', pause: 'no-answer' }, NOW)).toEqual({
      ok: true,
      state: { kind: 'not-ready', since: NOW, idleSince: NOW, reason: 'no-answer' },
    });
  });

  it('times wrap-up from the hang-up, extends it, ends it when it is over, and skips it when the queue has none', () => {
    const hung = applyAgentCommand(states['on-call']!, { type: 'hang-up', callId: 'c1', wrapUpSeconds: 30 }, NOW);
    expect(hung).toEqual({ ok: true, state: { kind: 'wrap-up', since: NOW, callId: 'c1', queue: 'general', until: NOW + 30_000 } });
    const wrap = (hung as { state: AgentState }).state;
    const extended = applyAgentCommand(wrap, { type: 'extend-wrap-up', seconds: 20 }, NOW + 1000);
    expect(extended.ok && extended.state.kind === 'wrap-up' && extended.state.until).toBe(NOW + 50_000);
    const extendedState = (extended as { state: AgentState }).state;
    expect(outcome(extendedState, { type: 'wrap-up-expired' }, NOW + 49_999)).toBe('acd:wrap-up-not-over');
    expect(applyAgentCommand(extendedState, { type: 'wrap-up-expired' }, NOW + 50_000)).toEqual({
      ok: true,
      state: { kind: 'ready', since: NOW + 50_000, idleSince: NOW + 50_000 },
    });
    // Extending a wrap-up that is already over counts from now.
    const late = applyAgentCommand(wrap, { type: 'extend-wrap-up', seconds: 10 }, NOW + 40_000);
    expect(late.ok && late.state.kind === 'wrap-up' && late.state.until).toBe(NOW + 50_000);
    expect(outcome(states['on-call']!, { type: 'hang-up', callId: 'c1', wrapUpSeconds: 0 })).toBe('ready');
  });
});
