/**
 * Reads what the live picture needs from Redis in two pipelines — today's counters of every
 * queue, the calls waiting (one script over every waiting set), the agents by state for the
 * centre, the logged-in agents — then each logged-in agent's kind, skills and state, and
 * hands it all to the pure liveSnapshot. Fine for a few hundred agents.
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
const waitingLua = readFileSync(new URL('./scripts/waiting-figures.lua', import.meta.url), 'utf8');
const defined = new WeakSet<Redis>();

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
  constructor(private readonly options: StatsReaderOptions) {}

  async read(at: number, callbacksPending: number | null): Promise<LiveSnapshot> {
    const { redis, acdKeys, statsKeys, config, timeZone } = this.options;
    if (!defined.has(redis)) {
      redis.defineCommand(WAITING_FIGURES, { lua: waitingLua });
      defined.add(redis);
    }
    const date = localTime(new Date(at), timeZone).date;
    const queues = Object.keys(config.queues);
    const waitingKeys = queues.flatMap((q) => config.skills.map((skill) => acdKeys.waiting(q, skill)));

    const first = redis.pipeline();
    first.smembers(acdKeys.loggedIn());
    first.hgetall(acdKeys.stateCounts());
    for (const q of queues) first.hgetall(statsKeys.day(date, q));
    (first as unknown as Record<string, (n: number, ...keys: string[]) => unknown>)[WAITING_FIGURES]!(waitingKeys.length, ...waitingKeys);
    const replies = answers(await first.exec(), queues.length + 3);
    const loggedIn = replies[0] as string[];
    const stateCounts = replies[1] as Record<string, string>;
    const waitingFlat = (replies[replies.length - 1] as number[]).map(Number);

    const agents = await this.agentsOf(loggedIn);
    const perQueue: Record<string, QueueInputs> = {};
    queues.forEach((q, i) => {
      const queue = config.queues[q]!;
      const figures = { ...NO_AGENTS };
      for (const agent of agents) {
        const figure = FIGURE_OF[agent.state.kind];
        if (figure && agent.kind === queue.kind && agent.skills[queue.skill] !== undefined) figures[figure]++;
      }
      perQueue[q] = {
        counters: dayCountersOf(replies[2 + i] as Record<string, string>),
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

  private async agentsOf(ids: string[]): Promise<Array<{ id: string; displayName: string; kind: string; skills: Record<string, number>; state: AgentState }>> {
    if (ids.length === 0) return [];
    const pipeline = this.options.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.options.acdKeys.agent(id), 'kind', 'skills', 'state', 'name');
    const replies = answers(await pipeline.exec(), ids.length) as Array<Array<string | null>>;
    // An agent logging out between the two reads has no hash left: left out.
    return replies.flatMap(([kind, skills, state, name], i) => {
      if (!kind || !skills || !state) return [];
      return [{ id: ids[i]!, displayName: name ?? ids[i]!, kind, skills: JSON.parse(skills) as Record<string, number>, state: JSON.parse(state) as AgentState }];
    });
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
