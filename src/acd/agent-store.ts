/**
 * Agents in Redis: one picture shared by every service instance. A change is decided by the
 * pure state machine from the state read, then stored with a compare-and-set on the agent's
 * version (scripts/agent-apply.lua); when another instance changed the agent in between, it
 * is read and decided again. Each change returns its `agent.state-changed` payload for the
 * caller to publish.
 */
import type { Redis } from 'ioredis';
import { agentStateChanged, type AgentStateChanged } from './agent-events.js';
import { AgentProfileSchema, type AgentProfile, type AgentProfileInput } from './agent-profile.js';
import { AGENT_STATE_KINDS, applyAgentCommand, type AgentCommand, type AgentState, type AgentStateKind } from './agent-state.js';
import type { AcdConfig } from './config-schema.js';
import { AcdError } from './errors.js';
import { NO_ANSWER_REASON, OWN_REASONS, UNREACHABLE_REASON } from './ids.js';
import type { AcdKeys } from './keys.js';
import { runAcdScript } from './redis-scripts.js';

/** The agent hash's fields a record is read from, in the order agentRecordOf takes them. */
export const AGENT_FIELDS = ['name', 'endpoint', 'kind', 'skills', 'state', 'version', 'misses', 'restored'] as const;

/** An agent hash's fields (AGENT_FIELDS order) as a record; null when the agent has no state. */
export function agentRecordOf(agentId: string, f: Array<string | null>): AgentRecord | null {
  if (f[4] == null) return null;
  return {
    id: agentId,
    displayName: f[0]!,
    endpoint: f[1]!,
    kind: f[2] as AgentProfile['kind'],
    skills: JSON.parse(f[3]!) as Record<string, number>,
    state: JSON.parse(f[4]) as AgentState,
    version: Number(f[5]),
    misses: Number(f[6] ?? 0),
    ...(f[7] === '1' && { restored: true }),
  };
}

/** Another instance changing the same agent this many times in a row is a fault, not a race. */
const CAS_ATTEMPTS = 5;

export interface AgentRecord extends AgentProfile {
  state: AgentState;
  version: number;
  /** Calls let ring out in a row (reset by an answered call and by the pause they cause). */
  misses: number;
  /**
   * Written back on a call after Redis came back empty (restoreOnCall), its profile lost: the
   * next login gives the profile and keeps the call; without one, the call's end logs it out.
   */
  restored?: true;
}

export interface AgentStoreOptions {
  redis: Redis;
  keys: AcdKeys;
  config: Pick<AcdConfig, 'skills' | 'notReadyReasons' | 'queues'>;
}

export class AgentStore {
  private readonly redis: Redis;
  private readonly keys: AcdKeys;
  private readonly config: AgentStoreOptions['config'];

  constructor(options: AgentStoreOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.config = options.config;
  }

  /** Logs an agent in, ready, or not ready with a reason from the config. */
  async login(input: AgentProfileInput, now: number, reason?: string): Promise<AgentStateChanged> {
    const profile = AgentProfileSchema.parse(input);
    const unknown = Object.keys(profile.skills).filter((s) => !this.config.skills.includes(s));
    if (unknown.length > 0) throw new AcdError('unknownSkill', `unknown skill(s) ${unknown.join(', ')} (not in acd.skills)`);
    if (reason !== undefined) this.checkReason(reason);
    const transition = applyAgentCommand({ kind: 'offline', since: now }, { type: 'login', ...(reason ? { reason } : {}) }, now);
    if (!transition.ok) throw AcdError.of(transition.refusal);
    const state = transition.state;
    const idleSince = 'idleSince' in state ? state.idleSince : now;
    const { readyPrefix } = this.keys.scriptPrefixes();
    const [stored, previous, version] = (await runAcdScript(
      this.redis,
      'agent-login',
      [this.keys.agent(profile.id), this.keys.loggedIn(), this.keys.stateCounts()],
      [readyPrefix, profile.id, profile.displayName, profile.endpoint, profile.kind, JSON.stringify(profile.skills), JSON.stringify(state), state.kind, idleSince],
    )) as [number, string, number?];
    // Written back on a call after an empty Redis: the profile is stored, the call goes on (not offered).
    if (stored === 2) return agentStateChanged(profile.id, JSON.parse(previous) as AgentState, JSON.parse(previous) as AgentState, version!);
    if (stored !== 1) throw new AcdError('alreadyLoggedIn', `agent ${profile.id} is logged in already (${(JSON.parse(previous) as AgentState).kind})`);
    return agentStateChanged(profile.id, previous ? (JSON.parse(previous) as AgentState) : null, state, version!);
  }

  logout(agentId: string, now: number): Promise<AgentStateChanged> {
    return this.apply(agentId, { type: 'logout' }, now);
  }

  /** Not ready with a reason from the config (`no-answer` is the ACD's own). */
  async pause(agentId: string, reason: string, now: number): Promise<AgentStateChanged> {
    this.checkReason(reason);
    return this.apply(agentId, { type: 'pause', reason }, now);
  }

  /** The offered call rang out or was refused: ready again, or paused with `no-answer` after the queue's misses in a row. */
  missed(agentId: string, callId: string, queue: string, now: number, unreachable = false): Promise<AgentStateChanged> {
    const limit = this.config.queues[queue]?.missesBeforePause ?? 1;
    return this.apply(agentId, (agent) => {
      // A softphone that is not registered cannot take the next call either: paused at once.
      if (unreachable) return { command: { type: 'missed', callId, pause: UNREACHABLE_REASON }, misses: 0 };
      const misses = agent.misses + 1;
      return misses >= limit
        ? { command: { type: 'missed', callId, pause: NO_ANSWER_REASON }, misses: 0 }
        : { command: { type: 'missed', callId }, misses };
    }, now);
  }

  /** Any other command; `answer` clears the misses in a row. */
  apply(
    agentId: string,
    decide: AgentCommand | ((agent: AgentRecord) => { command: AgentCommand; misses: number }),
    now: number,
  ): Promise<AgentStateChanged> {
    return this.change(agentId, now, typeof decide === 'function' ? decide : (agent) => ({ command: decide, misses: decide.type === 'answer' ? 0 : agent.misses }));
  }

  /**
   * An agent Redis lost (back empty) while talking on a call the service holds: written back
   * on-call with that call, so that logging in again keeps the call rather than offering
   * another. Null when Redis holds the agent (back with its data, or logged in meanwhile).
   */
  async restoreOnCall(agentId: string, call: { callId: string; queue: string; since: number }): Promise<AgentStateChanged | null> {
    const state: AgentState = { kind: 'on-call', since: call.since, callId: call.callId, queue: call.queue };
    const version = Number(await runAcdScript(this.redis, 'agent-restore', [this.keys.agent(agentId), this.keys.loggedIn(), this.keys.stateCounts()], [agentId, JSON.stringify(state)]));
    return version > 0 ? agentStateChanged(agentId, null, state, version) : null;
  }

  async get(agentId: string): Promise<AgentRecord | null> {
    return agentRecordOf(agentId, await this.redis.hmget(this.keys.agent(agentId), ...AGENT_FIELDS));
  }

  /** Agents in each state, from the counts the scripts keep beside every change (one read). */
  async countByState(): Promise<Record<AgentStateKind, number>> {
    const raw = await this.redis.hgetall(this.keys.stateCounts());
    return Object.fromEntries(AGENT_STATE_KINDS.map((kind) => [kind, Number(raw[kind] ?? 0)])) as Record<AgentStateKind, number>;
  }

  private async change(agentId: string, now: number, decide: (agent: AgentRecord) => { command: AgentCommand; misses: number }): Promise<AgentStateChanged> {
    const { readyPrefix } = this.keys.scriptPrefixes();
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const agent = await this.get(agentId);
      if (!agent) throw new AcdError('noSuchAgent', `no agent ${agentId}`);
      const { command, misses } = decide(agent);
      const transition = applyAgentCommand(agent.state, command, now);
      if (!transition.ok) throw AcdError.of(transition.refusal);
      // An agent written back on a call, never logged in again: its call over, it is logged out (no profile to be offered with).
      const state: AgentState = agent.restored && transition.state.kind !== 'on-call' ? { kind: 'offline', since: now } : transition.state;
      const [stored, version] = (await runAcdScript(
        this.redis,
        'agent-apply',
        [this.keys.agent(agentId), this.keys.loggedIn(), this.keys.stateCounts()],
        [readyPrefix, agentId, agent.version, JSON.stringify(state), state.kind, 'idleSince' in state ? state.idleSince : now, misses],
      )) as [number, number?];
      if (stored === 1) return agentStateChanged(agentId, agent.state, state, version!);
      if (stored === -1) throw new AcdError('noSuchAgent', `no agent ${agentId}`);
    }
    throw new AcdError('contention', `agent ${agentId} changed ${CAS_ATTEMPTS} times while one change was being stored`);
  }

  private checkReason(reason: string): void {
    if (!OWN_REASONS.includes(reason) && !Object.hasOwn(this.config.notReadyReasons, reason)) {
      throw new AcdError('unknownReason', `unknown not-ready reason "${reason}" (not in acd.notReadyReasons)`);
    }
  }
}
