/**
 * The roster: who each agent is, as supervisors (or an admin) keep it — display name, usual
 * seat, skills with their levels, and kind. An agent logs in with its roster entry, so it
 * cannot give itself skills, levels or the leaders' queue; only the seat may differ for one
 * session (hot-desking, decided by the desk's caller). The roster lives in Redis, one hash
 * per agent and one set of ids, shared by every instance.
 *
 * A change to an entry takes effect at the agent's next login: the logged-in agent's profile
 * is a copy in its agent hash, which the routing scripts read.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { AgentProfileSchema, type AgentProfile } from './agent-profile.js';
import { AcdError } from './errors.js';
import type { RosterKeys } from './roster-keys.js';

/** A roster entry as a supervisor writes it: the profile without the id (the id is the key). */
export const RosterProfileSchema = AgentProfileSchema.omit({ id: true });
export type RosterProfile = z.infer<typeof RosterProfileSchema>;
export type RosterProfileInput = z.input<typeof RosterProfileSchema>;

/** The hash's fields, in the order entryOf takes them. */
const FIELDS = ['name', 'endpoint', 'kind', 'skills'] as const;

export interface AgentRosterStoreOptions {
  redis: Redis;
  keys: RosterKeys;
  /**
   * The skills of acd.skills: an entry with another is refused. Without them the entry's
   * skills are checked at login only (AgentStore refuses unknown skills there).
   */
  skills?: readonly string[];
}

export class AgentRosterStore {
  private readonly redis: Redis;
  private readonly keys: RosterKeys;
  private readonly skills: readonly string[] | undefined;

  constructor(options: AgentRosterStoreOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.skills = options.skills;
  }

  /** Puts the agent on the roster, or replaces its entry; returns the entry as stored. */
  async put(agentId: string, input: RosterProfileInput): Promise<AgentProfile> {
    const profile = RosterProfileSchema.parse(input);
    if (this.skills) {
      const unknown = Object.keys(profile.skills).filter((s) => !this.skills!.includes(s));
      if (unknown.length > 0) throw new AcdError('unknownSkill', `unknown skill(s) ${unknown.join(', ')} (not in acd.skills)`);
    }
    // One transaction: the set never names an id without its hash, nor the hash outlive a put half done.
    await this.redis
      .multi()
      .del(this.keys.entry(agentId))
      .hset(this.keys.entry(agentId), { name: profile.displayName, endpoint: profile.endpoint, kind: profile.kind, skills: JSON.stringify(profile.skills) })
      .sadd(this.keys.ids(), agentId)
      .exec()
      .then(failedStep);
    return { id: agentId, ...profile };
  }

  /** The agent's entry; null when it is not on the roster. */
  async get(agentId: string): Promise<AgentProfile | null> {
    return entryOf(agentId, await this.redis.hmget(this.keys.entry(agentId), ...FIELDS));
  }

  /** Every entry, ordered by id: one read of the ids, one pipeline of their hashes. */
  async list(): Promise<AgentProfile[]> {
    const ids = (await this.redis.smembers(this.keys.ids())).sort();
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.keys.entry(id), ...FIELDS);
    const replies = (await pipeline.exec()) ?? [];
    return ids.flatMap((id, i) => {
      const [err, fields] = replies[i] ?? [new Error('no reply'), null];
      if (err) throw err;
      const entry = entryOf(id, fields as Array<string | null>);
      // Removed between the two reads: not on the roster any more.
      return entry ? [entry] : [];
    });
  }

  /** Takes the agent off the roster; false when it was not on it. */
  async remove(agentId: string): Promise<boolean> {
    const replies = await this.redis.multi().del(this.keys.entry(agentId)).srem(this.keys.ids(), agentId).exec().then(failedStep);
    return Number(replies[0]) === 1;
  }
}

/** The replies of a transaction; the first failed step's error thrown. */
function failedStep(replies: Array<[Error | null, unknown]> | null): unknown[] {
  if (!replies) throw new Error('roster transaction aborted');
  for (const [err] of replies) if (err) throw err;
  return replies.map(([, value]) => value);
}

function entryOf(agentId: string, f: Array<string | null>): AgentProfile | null {
  if (f[0] == null) return null;
  return {
    id: agentId,
    displayName: f[0],
    endpoint: f[1]!,
    kind: f[2] as AgentProfile['kind'],
    skills: JSON.parse(f[3]!) as Record<string, number>,
  };
}
