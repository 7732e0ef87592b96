/**
 * An agent's state and the commands that move it: pure, no clock, no Redis.
 *
 *              login                 offer              answer
 *   offline ─────────► ready ─────────────► ringing ─────────► on-call
 *      ▲               ▲ │ ▲  missed /        │                  │ hang-up
 *      │ logout        │ │ └─ caller-gone ────┘                  ▼
 *      │      set-ready│ │pause                              wrap-up ◄─┐ extend-wrap-up
 *      │               │ ▼                  (missed, pausing)  │ │ └───┘
 *      └──────────── not-ready(reason) ◄───────────────────────┘ │ pause
 *                                       ready ◄── end-wrap-up ───┘ (early, or when it expires)
 *
 * `idleSince` rides along in ready and not-ready (and ringing, to give it back when the
 * caller leaves first): the router offers calls to the agent idle longest. It is reset when
 * a call ends (wrap-up over), at login, and after a missed call (the next call goes to
 * someone else first); a pause and its end keep it.
 */
import { ACD_ERRORS, type AcdErrorName } from './errors.js';

export type AgentState =
  | { kind: 'offline'; since: number }
  | { kind: 'ready'; since: number; idleSince: number }
  | { kind: 'not-ready'; since: number; idleSince: number; reason: string }
  | { kind: 'ringing'; since: number; idleSince: number; callId: string; queue: string }
  | { kind: 'on-call'; since: number; callId: string; queue: string }
  | { kind: 'wrap-up'; since: number; callId: string; queue: string; until: number };

export type AgentStateKind = AgentState['kind'];
export const AGENT_STATE_KINDS: readonly AgentStateKind[] = ['offline', 'ready', 'not-ready', 'ringing', 'on-call', 'wrap-up'];

export type AgentCommand =
  | { type: 'login'; reason?: string }
  | { type: 'logout' }
  | { type: 'set-ready' }
  | { type: 'pause'; reason: string }
  | { type: 'offer'; callId: string; queue: string }
  | { type: 'answer'; callId: string }
  /** The agent let it ring out, rejected it, or could not be reached; `pause` after too many in a row. */
  | { type: 'missed'; callId: string; pause?: string }
  /** The caller hung up (or was taken elsewhere) while the agent's phone rang. */
  | { type: 'caller-gone'; callId: string }
  | { type: 'hang-up'; callId: string; wrapUpSeconds: number }
  | { type: 'end-wrap-up' }
  | { type: 'extend-wrap-up'; seconds: number }
  | { type: 'wrap-up-expired' };

export interface Refusal {
  code: (typeof ACD_ERRORS)[AcdErrorName]['code'];
  status: number;
  message: string;
}

export type Transition = { ok: true; state: AgentState } | { ok: false; refusal: Refusal };

const refuse = (which: AcdErrorName, message: string): Transition => ({
  ok: false,
  refusal: { code: ACD_ERRORS[which].code, status: ACD_ERRORS[which].status, message },
});
const to = (state: AgentState): Transition => ({ ok: true, state });

/** Why a command is refused in a state that cannot take it (the agent being offline comes first). */
const REFUSAL_OF: Record<AgentCommand['type'], AcdErrorName> = {
  login: 'alreadyLoggedIn',
  logout: 'agentBusy',
  'set-ready': 'agentBusy',
  pause: 'agentBusy',
  offer: 'agentBusy',
  answer: 'notRinging',
  missed: 'notRinging',
  'caller-gone': 'notRinging',
  'hang-up': 'notOnCall',
  'end-wrap-up': 'notInWrapUp',
  'extend-wrap-up': 'notInWrapUp',
  'wrap-up-expired': 'notInWrapUp',
};

function wrongState(state: AgentState, command: AgentCommand): Transition {
  const which = state.kind === 'offline' ? 'agentOffline' : REFUSAL_OF[command.type];
  return refuse(which, `agent is ${state.kind}; cannot ${command.type}`);
}

export function applyAgentCommand(state: AgentState, command: AgentCommand, now: number): Transition {
  const sameCall = (callId: string): boolean => 'callId' in state && state.callId === callId;
  switch (command.type) {
    case 'login':
      if (state.kind !== 'offline') break;
      return to(command.reason ? { kind: 'not-ready', since: now, idleSince: now, reason: command.reason } : { kind: 'ready', since: now, idleSince: now });
    case 'logout':
      if (state.kind === 'ready' || state.kind === 'not-ready' || state.kind === 'wrap-up') return to({ kind: 'offline', since: now });
      break;
    case 'set-ready':
      if (state.kind === 'ready') return to(state);
      if (state.kind === 'not-ready') return to({ kind: 'ready', since: now, idleSince: state.idleSince });
      if (state.kind === 'wrap-up') return to({ kind: 'ready', since: now, idleSince: now });
      break;
    case 'pause':
      if (state.kind === 'ready' || state.kind === 'not-ready') return to({ kind: 'not-ready', since: now, idleSince: state.idleSince, reason: command.reason });
      if (state.kind === 'wrap-up') return to({ kind: 'not-ready', since: now, idleSince: now, reason: command.reason });
      break;
    case 'offer':
      if (state.kind === 'ready') return to({ kind: 'ringing', since: now, idleSince: state.idleSince, callId: command.callId, queue: command.queue });
      break;
    case 'answer':
    case 'missed':
    case 'caller-gone':
      if (state.kind !== 'ringing') break;
      if (!sameCall(command.callId)) return refuse('wrongCall', `agent rings for call ${state.callId}, not ${command.callId}`);
      if (command.type === 'answer') return to({ kind: 'on-call', since: now, callId: state.callId, queue: state.queue });
      if (command.type === 'caller-gone') return to({ kind: 'ready', since: now, idleSince: state.idleSince });
      return to(command.pause ? { kind: 'not-ready', since: now, idleSince: now, reason: command.pause } : { kind: 'ready', since: now, idleSince: now });
    case 'hang-up':
      if (state.kind !== 'on-call') break;
      if (!sameCall(command.callId)) return refuse('wrongCall', `agent is on call ${state.callId}, not ${command.callId}`);
      if (command.wrapUpSeconds <= 0) return to({ kind: 'ready', since: now, idleSince: now });
      return to({ kind: 'wrap-up', since: now, callId: state.callId, queue: state.queue, until: now + command.wrapUpSeconds * 1000 });
    case 'end-wrap-up':
      if (state.kind === 'wrap-up') return to({ kind: 'ready', since: now, idleSince: now });
      break;
    case 'extend-wrap-up':
      if (state.kind === 'wrap-up') return to({ ...state, until: Math.max(state.until, now) + command.seconds * 1000 });
      break;
    case 'wrap-up-expired':
      if (state.kind !== 'wrap-up') break;
      if (now < state.until) return refuse('wrapUpNotOver', `wrap-up runs until ${new Date(state.until).toISOString()}`);
      return to({ kind: 'ready', since: now, idleSince: now });
  }
  return wrongState(state, command);
}
