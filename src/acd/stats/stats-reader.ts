/**
 * Reads what the live picture needs from Redis in one pipeline — today's counters of every
 * queue, the calls waiting (one script over every waiting set), the agents by state for the
 * centre, and each logged-in agent's kind, skills, state and name (one script over the
 * logged-in set) — and hands it all to the pure liveSnapshot. An agent's skills and state
 * are parsed again only when their text changed since the last read.
 *
 * An agent counts for a queue when it could serve it: of the queue's kind (regular, guest),
 * with the queue's skill at any level (widening steps may admit lower levels and other
 * skills later in a call; the queue's own skill is what the wallboard shows).
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { localTime } from '../../calendar/local-time.js';
import type { AgentState, AgentStateKind } from '../agent-state.js';
import type { AcdConfig } from '../config-schema.js';
import type { AcdKeys } from '../keys.js';
import { dayCountersOf } from './day-counters.js';
import type { StatsKeys } from './keys.js';
import { liveSnapshot, NO_AGENTS, type AgentFigures, type LiveSnapshot, type QueueInputs, type WaitingNow } from './live-stats.js';

const WAITING_FIGURES = 'acd_stats_waiting_figures';
const AGENTS_FIGURES = 'acd_stats_agents_figures';
const waitingLua = readFileSync(new URL('./scripts/waiting-figures.lua', import.meta.url), 'utf8');
const agentsLua = readFileSync(new URL('./scripts/agents-figures.lua', import.meta.url), 'utf8');
const defined = new WeakSet<Redis>();
type ScriptCommand = (n: number, ...keys: string[]) => Promise<unknown>;

interface AgentRead {
  id: string;
  displayName: string;
  kind: string;
  skills: Record<string, number>;
  state: AgentState;
}

/** The parsed JSON of an agent's last read, kept while its text stays the same. */
interface ParsedAgent {
  skillsText: string;
  skills: Record<string, number>;
  stateText: string;
  state: AgentState;
}

/** The wallboard's name of each state an agent may be in while logged in. */
const FIGURE_OF: Partial<Record<AgentStateKind, keyof AgentFigures>> = {
  ready: 'ready',
  'not-ready': 'notReady',
  ringing: 'ringing',
  'on-call': 'onCall',
  'wrap-up': 'wrapUp',
};

export interface StatsReaderOptions {
  redis: Redis;
  acdKeys: AcdKeys;
  statsKeys: StatsKeys;
  config: Pick<AcdConfig, 'queues' | 'skills'>;
  timeZone: string;
}

type Reply = [Error | null, unknown];

export class StatsReader {
  private parsed = new Map<string, ParsedAgent>();

  constructor(private readonly options: StatsReaderOptions) {}

  async read(at: number, callbacksPending: number | null): Promise<LiveSnapshot> {
    const { redis, acdKeys, statsKeys, config, timeZone } = this.options;
    if (!defined.has(redis)) {
      redis.defineCommand(WAITING_FIGURES, { lua: waitingLua });
      redis.defineCommand(AGENTS_FIGURES, { lua: agentsLua });
      defined.add(redis);
    }
    const date = localTime(new Date(at), timeZone).date;
    const queues = Object.keys(config.queues);
    const waitingKeys = queues.flatMap((q) => config.skills.map((skill) => acdKeys.waiting(q, skill)));

    const pipeline = redis.pipeline();
    pipeline.hgetall(acdKeys.stateCounts());
    for (const q of queues) pipeline.hgetall(statsKeys.day(date, q));
    const scripts = pipeline as unknown as Record<string, ScriptCommand>;
    scripts[WAITING_FIGURES]!(waitingKeys.length, ...waitingKeys);
    scripts[AGENTS_FIGURES]!(1, acdKeys.loggedIn(), acdKeys.scriptPrefixes().agentPrefix);
    const replies = answers(await pipeline.exec(), queues.length + 3);
    const stateCounts = replies[0] as Record<string, string>;
    const waitingFlat = (replies[queues.length + 1] as number[]).map(Number);
    const agents = this.agentsOf(replies[queues.length + 2] as Array<string | null>);
    const perQueue: Record<string, QueueInputs> = {};
    queues.forEach((q, i) => {
      const queue = config.queues[q]!;
      const figures = { ...NO_AGENTS };
      for (const agent of agents) {
        const figure = FIGURE_OF[agent.state.kind];
        if (figure && agent.kind === queue.kind && agent.skills[queue.skill] !== undefined) figures[figure]++;
      }
      perQueue[q] = {
        counters: dayCountersOf(replies[1 + i] as Record<string, string>),
        waiting: waitingOf(waitingFlat, i * config.skills.length, config.skills.length),
        agents: figures,
        serviceLevel: { seconds: queue.serviceLevelSeconds, targetPercent: queue.serviceLevelTargetPercent },
      };
    });

    const centreAgents = { ...NO_AGENTS };
    for (const [kind, figure] of Object.entries(FIGURE_OF) as Array<[AgentStateKind, keyof AgentFigures]>) centreAgents[figure] = Number(stateCounts[kind] ?? 0);
    const agentList = agents.map(({ id, displayName, state }) => ({ id, displayName, state })).sort((x, y) => x.id.localeCompare(y.id));
    return liveSnapshot({ at, queues: perQueue, centreAgents, callbacksPending, agentList });
  }

  /** The agents script's answer (id, kind, skills, state, name per agent) as agents. */
  private agentsOf(flat: Array<string | null>): AgentRead[] {
    if (!Array.isArray(flat) || flat.length % 5 !== 0) throw new Error('the agents\' figures came back in an unexpected shape');
    const parsed = new Map<string, ParsedAgent>();
    const agents: AgentRead[] = [];
    for (let i = 0; i < flat.length; i += 5) {
      const [id, kind, skillsText, stateText, name] = flat.slice(i, i + 5);
      // An agent logged in without a whole hash (being written, or gone): left out.
      if (!id || !kind || !skillsText || !stateText) continue;
      const before = this.parsed.get(id);
      const skills = before?.skillsText === skillsText ? before.skills : (JSON.parse(skillsText) as Record<string, number>);
      const state = before?.stateText === stateText ? before.state : (JSON.parse(stateText) as AgentState);
      parsed.set(id, { skillsText, skills, stateText, state });
      agents.push({ id, displayName: name ?? id, kind, skills, state });
    }
    // Only the agents still logged in are kept.
    this.parsed = parsed;
    return agents;
  }
}

/** The pipeline's answers, or the first error it met. */
function answers(results: Reply[] | null, expected: number): unknown[] {
  if (!results || results.length !== expected) throw new Error(`the statistics read answered ${results?.length ?? 0} of ${expected}`);
  const failed = results.find(([err]) => err);
  if (failed) throw failed[0]!;
  return results.map(([, value]) => value);
}

/** A queue's waiting sets (one per skill) folded: calls in all, the earliest enqueue of any. */
function waitingOf(flat: number[], from: number, sets: number): WaitingNow {
  let count = 0;
  let oldest: number | null = null;
  for (let i = from; i < from + sets; i++) {
    count += flat[i * 2]!;
    const at = flat[i * 2 + 1]!;
    if (at >= 0 && (oldest === null || at < oldest)) oldest = at;
  }
  return { count, oldestEnqueuedAt: oldest };
}
