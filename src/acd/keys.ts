/**
 * Every Redis key the ACD owns, named once. All live under `<prefix>acd:`.
 *
 * The routing scripts find per-agent, per-call and ready-set keys themselves (which agent
 * and which call they need is only known inside the script), so they are handed the
 * prefixes below and append the rest in the same order as these functions do.
 */
import { keyspace } from '../redis/connection.js';
import type { AgentKind } from './ids.js';

export interface AcdKeys {
  /** Hash: an agent's profile (name, endpoint, kind, skills JSON), state JSON, version, misses in a row. */
  agent(agentId: string): string;
  /** Set: ids of agents logged in (any state but offline). */
  loggedIn(): string;
  /** Hash: state kind → agents in it, kept by the same scripts that change a state. */
  stateCounts(): string;
  /** Sorted set: ready agents of one kind with one skill at one level, scored by idle-since (ms). */
  ready(kind: AgentKind, skill: string, level: number): string;
  /** Hash: a queued call (queue, skill, priority, enqueued-at, order, state, agent). */
  call(callId: string): string;
  /** Sorted set: a queue's waiting calls asking for one skill, scored so the first in line is lowest (see waitingOrder). */
  waiting(queue: string, skill: string): string;
  /** Hash: a call talking to an agent (callerChannel, agentChannel, bridge, app, agentId, queue, answeredAt); gone when it ends. */
  talk(callId: string): string;
  /** String: a queue's expected wait in ms (moving average of answered calls' waits). */
  holdTime(queue: string): string;
  /** String: when an instance first found this Redis without it (ms); a Redis back without it came back empty. */
  keptSince(): string;
  /** For the scripts: `agentPrefix + id`, `readyPrefix + kind:skill:level`, `callPrefix + id`, `waitingPrefix + queue:skill`. */
  scriptPrefixes(): { agentPrefix: string; readyPrefix: string; callPrefix: string; waitingPrefix: string };
}

export function acdKeys(prefix: string): AcdKeys {
  const k = keyspace(`${prefix}acd:`);
  return {
    agent: (agentId) => k('agent', agentId),
    loggedIn: () => k('logged-in'),
    stateCounts: () => k('state-counts'),
    ready: (kind, skill, level) => k('ready', kind, skill, String(level)),
    call: (callId) => k('call', callId),
    waiting: (queue, skill) => k('waiting', queue, skill),
    talk: (callId) => k('talk', callId),
    holdTime: (queue) => k('hold-time', queue),
    keptSince: () => k('kept-since'),
    scriptPrefixes: () => ({ agentPrefix: k('agent', ''), readyPrefix: k('ready', ''), callPrefix: k('call', ''), waitingPrefix: k('waiting', '') }),
  };
}
