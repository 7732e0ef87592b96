/**
 * What an agent (or a supervisor for them) does at the desk: log in and out, get ready,
 * pause with a reason, end or extend the wrap-up. Each change is decided by the agent state
 * machine and stored by AgentStore; its `agent.state-changed` is returned and handed to
 * `changed`, where the engine publishes it and, when the agent became ready, routes calls.
 *
 * Logging in on an endpoint that another logged-in agent holds is refused: the endpoint
 * decides whose softphone rings and whose SIP credentials the desk hands out. The check
 * reads the logged-in agents first, so two logins racing for one endpoint may both pass; Asterisk's
 * `max_contacts = 1, remove_existing = yes` then leaves one phone registered.
 *
 * The roster (agent-roster.ts) is who each agent is, kept by supervisors: `loginFromRoster`
 * logs an agent in with its entry, on its usual seat or another one for the session. `login`
 * with a whole profile stays for supervisors' one-off cases and the service's own callers.
 */
import type { Redis } from 'ioredis';
import type { AgentStateChanged } from './agent-events.js';
import type { AgentProfile, AgentProfileInput } from './agent-profile.js';
import { AgentRosterStore, type RosterProfileInput } from './agent-roster.js';
import { AGENT_FIELDS, agentRecordOf, type AgentRecord, type AgentStore } from './agent-store.js';
import { AcdError } from './errors.js';
import type { AcdKeys } from './keys.js';
import { rosterKeysBeside } from './roster-keys.js';

/** The longest wrap-up extension one request may ask for. */
export const MAX_WRAP_UP_EXTENSION_SECONDS = 600;

/** A refusal of the desk beyond the state machine's, shaped as AcdError (code and HTTP status). */
export class EndpointInUseError extends Error {
  override readonly name = 'EndpointInUseError';
  readonly code = 'acd:endpoint-in-use';
  readonly status = 409;
}

/** An extension outside 1 … MAX_WRAP_UP_EXTENSION_SECONDS. */
export class BadExtensionError extends Error {
  override readonly name = 'BadExtensionError';
  readonly code = 'acd:bad-wrap-up-extension';
  readonly status = 400;
}

export interface AgentDeskOptions {
  store: Pick<AgentStore, 'login' | 'logout' | 'pause' | 'apply' | 'get'>;
  /** The ACD's Redis and keys: the logged-in agents are read in one pipeline. */
  redis: Redis;
  keys: AcdKeys;
  /** Every change, once stored: the engine publishes it and routes calls to an agent now ready. */
  changed?: (event: AgentStateChanged) => void;
  now?: () => number;
  /** The roster; by default one over `redis` under the prefix of `keys`. */
  roster?: AgentRosterStore;
  /** acd.skills, for the default roster to refuse entries with other skills (else they are refused at login). */
  skills?: readonly string[];
}

/** What an agent may choose at login beyond its roster entry. */
export interface RosterLogin {
  /** Not ready with this reason rather than ready. */
  reason?: string;
  /** Another seat than the usual one, for this session. */
  endpoint?: string;
}

export class AgentDesk {
  private readonly store: AgentDeskOptions['store'];
  private readonly redis: Redis;
  private readonly keys: AcdKeys;
  private readonly changed: (event: AgentStateChanged) => void;
  private readonly now: () => number;
  private readonly roster: AgentRosterStore;

  constructor(options: AgentDeskOptions) {
    this.store = options.store;
    this.redis = options.redis;
    this.keys = options.keys;
    this.changed = options.changed ?? (() => undefined);
    this.now = options.now ?? Date.now;
    this.roster = options.roster ?? new AgentRosterStore({ redis: options.redis, keys: rosterKeysBeside(options.keys), skills: options.skills });
  }

  /** Logs the agent in as its roster entry says, on its usual seat unless `endpoint` names another. */
  async loginFromRoster(agentId: string, choice: RosterLogin = {}): Promise<AgentStateChanged> {
    const entry = await this.roster.get(agentId);
    if (!entry) throw notOnRoster(agentId);
    return this.login({ ...entry, endpoint: choice.endpoint ?? entry.endpoint }, choice.reason);
  }

  /** Puts the agent on the roster or replaces its entry (its next login uses it). */
  putOnRoster(agentId: string, profile: RosterProfileInput): Promise<AgentProfile> {
    return this.roster.put(agentId, profile);
  }

  /** The agent's roster entry; null when it is not on the roster. */
  onRoster(agentId: string): Promise<AgentProfile | null> {
    return this.roster.get(agentId);
  }

  /** Every roster entry, by id. */
  rosterEntries(): Promise<AgentProfile[]> {
    return this.roster.list();
  }

  /**
   * Takes the agent off the roster; refused while it is logged in. A login reading the entry
   * just before may still complete: that session keeps its copy, the next login is refused.
   */
  async takeOffRoster(agentId: string): Promise<void> {
    const agent = await this.store.get(agentId);
    if (agent && agent.state.kind !== 'offline') throw new AcdError('agentLoggedIn', `agent ${agentId} is logged in (${agent.state.kind}): log it out first`);
    if (!(await this.roster.remove(agentId))) throw notOnRoster(agentId);
  }

  async login(profile: AgentProfileInput, reason?: string): Promise<AgentStateChanged> {
    const holder = (await this.list()).find((a) => a.endpoint === profile.endpoint && a.id !== profile.id);
    if (holder) throw new EndpointInUseError(`endpoint ${profile.endpoint} is in use by agent ${holder.id}`);
    return this.told(await this.store.login(profile, this.now(), reason));
  }

  async logout(agentId: string): Promise<AgentStateChanged> {
    return this.told(await this.store.logout(agentId, this.now()));
  }

  async setReady(agentId: string): Promise<AgentStateChanged> {
    return this.told(await this.store.apply(agentId, { type: 'set-ready' }, this.now()));
  }

  async pause(agentId: string, reason: string): Promise<AgentStateChanged> {
    return this.told(await this.store.pause(agentId, reason, this.now()));
  }

  async endWrapUp(agentId: string): Promise<AgentStateChanged> {
    return this.told(await this.store.apply(agentId, { type: 'end-wrap-up' }, this.now()));
  }

  /** More wrap-up, counted from its current end (or from now when it is already over). */
  async extendWrapUp(agentId: string, seconds: number): Promise<AgentStateChanged> {
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_WRAP_UP_EXTENSION_SECONDS) {
      throw new BadExtensionError(`a wrap-up extension is 1 to ${MAX_WRAP_UP_EXTENSION_SECONDS} s, not ${seconds}`);
    }
    return this.told(await this.store.apply(agentId, { type: 'extend-wrap-up', seconds }, this.now()));
  }

  /** The agent as stored (offline too, once it has logged in before); null when never seen. */
  get(agentId: string): Promise<AgentRecord | null> {
    return this.store.get(agentId);
  }

  /** Every logged-in agent, ordered by id: one read of the logged-in set, one pipeline of their hashes. */
  async list(): Promise<AgentRecord[]> {
    const ids = (await this.redis.smembers(this.keys.loggedIn())).sort();
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.keys.agent(id), ...AGENT_FIELDS);
    const replies = (await pipeline.exec()) ?? [];
    return ids.flatMap((id, i) => {
      const [err, fields] = replies[i] ?? [new Error('no reply'), null];
      if (err) throw err;
      const record = agentRecordOf(id, fields as Array<string | null>);
      // Logged out between the two reads: not logged in any more.
      return record && record.state.kind !== 'offline' ? [record] : [];
    });
  }

  private told(event: AgentStateChanged): AgentStateChanged {
    this.changed(event);
    return event;
  }
}

function notOnRoster(agentId: string): AcdError {
  return new AcdError('notOnRoster', `agent ${agentId} is not on the roster: a supervisor puts it there`);
}
