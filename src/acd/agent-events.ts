/**
 * `agent.state-changed`: what an agent state change tells the rest of the centre (the
 * wallboard, statistics, the ticket backend). Every store operation that changes a state
 * returns it; the caller publishes it. `version` counts the agent's changes, so a receiver
 * can drop one that arrives after a newer one.
 */
import type { AgentState, AgentStateKind } from './agent-state.js';

export const AGENT_STATE_CHANGED = 'agent.state-changed';

export interface AgentStateChanged {
  agentId: string;
  from: AgentStateKind;
  to: AgentStateKind;
  /** The not-ready reason, when the agent is now not ready. */
  reason: string | null;
  /** The call the agent now rings for, talks on, or wraps up. */
  callId: string | null;
  queue: string | null;
  version: number;
  /** ISO 8601 with milliseconds, UTC. */
  at: string;
  state: AgentState;
  /** Set when the change ends a wrap-up (early, or its time up): the call wrapped up, for its disposition. */
  wrappedUp?: WrappedUp;
}

export interface WrappedUp {
  callId: string;
  queue: string;
  /** When the wrap-up began and was due to end (ms). */
  since: number;
  until: number;
}

export function agentStateChanged(agentId: string, from: AgentState | null, to: AgentState, version: number): AgentStateChanged {
  return {
    agentId,
    from: from?.kind ?? 'offline',
    to: to.kind,
    reason: to.kind === 'not-ready' ? to.reason : null,
    callId: 'callId' in to ? to.callId : null,
    queue: 'queue' in to ? to.queue : null,
    version,
    at: new Date(to.since).toISOString(),
    state: to,
    ...(from?.kind === 'wrap-up' && to.kind !== 'wrap-up' ? { wrappedUp: { callId: from.callId, queue: from.queue, since: from.since, until: from.until } } : {}),
  };
}
