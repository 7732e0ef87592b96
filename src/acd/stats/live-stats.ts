/**
 * The centre's live picture, computed from today's counters, the calls waiting now and the
 * agents by state. Pure: no clock, no Redis.
 *
 * Choices, as GB/T 33358-2016 and the regulations read them:
 *   - service level = answered within the queue's threshold / offered (calls queued today),
 *     null while nothing was offered; calls still waiting count in the denominator, as a
 *     caller waiting past the threshold already misses it;
 *   - abandon rate = abandoned / offered, null while nothing was offered;
 *   - ASA = mean wait of answered calls, null while none was answered;
 *   - AHT = mean handle time as recorded (talk time from answer to hang-up today; see
 *     stats-recorder.ts), null while none ended;
 *   - the centre counts a call overflowing from one queue into another once (offered to
 *     each queue, to the centre once); its service level sums each queue's own thresholds;
 *   - percentages and seconds to one decimal; the longest wait in whole seconds, 0 when
 *     nobody waits;
 *   - "waiting" is calls waiting in a queue, not those ringing at an agent.
 */
import type { AgentState } from '../agent-state.js';
import { DAY_COUNTER_FIELDS, NO_COUNTS, type DayCounters } from './day-counters.js';

export interface AgentFigures {
  ready: number;
  notReady: number;
  ringing: number;
  onCall: number;
  wrapUp: number;
}

export interface QueueFigures {
  waiting: number;
  longestWaitSeconds: number;
  offered: number;
  answered: number;
  abandoned: number;
  answeredWithinThreshold: number;
  serviceLevelPercent: number | null;
  asaSeconds: number | null;
  ahtSeconds: number | null;
  abandonRatePercent: number | null;
  agents: AgentFigures;
  /** Callback requests not yet done; known for the centre only (null per queue). */
  callbacksPending: number | null;
  /** The queue's serviceLevelSeconds and its target (per queue only: the centre mixes thresholds). */
  serviceLevelSeconds?: number;
  serviceLevelTargetPercent?: number;
}

/** A logged-in agent as the wallboard lists it. */
export interface AgentLine {
  id: string;
  displayName: string;
  state: AgentState;
}

export interface LiveSnapshot {
  /** Epoch ms the figures were read at. */
  at: number;
  centre: QueueFigures;
  queues: Record<string, QueueFigures>;
  /** The logged-in agents read with the figures (the wallboard's list, pushed with them: no read of its own after each push). */
  agentList?: AgentLine[];
}

export interface WaitingNow {
  count: number;
  /** Epoch ms the longest-waiting call was enqueued at, null when none waits. */
  oldestEnqueuedAt: number | null;
}

export interface QueueInputs {
  counters: DayCounters;
  waiting: WaitingNow;
  agents: AgentFigures;
  /** The queue's configured threshold and target, carried into its figures. */
  serviceLevel?: { seconds: number; targetPercent: number };
}

export interface LiveInputs {
  at: number;
  queues: Record<string, QueueInputs>;
  /** Agents of the whole centre by state (AgentStore.countByState, offline left out). */
  centreAgents: AgentFigures;
  callbacksPending: number | null;
  agentList?: AgentLine[];
}

export const NO_AGENTS: AgentFigures = { ready: 0, notReady: 0, ringing: 0, onCall: 0, wrapUp: 0 };

export function liveSnapshot(inputs: LiveInputs): LiveSnapshot {
  const entries = Object.entries(inputs.queues);
  const queues = Object.fromEntries(
    entries.map(([name, q]) => {
      const own = figures(inputs.at, q.counters, q.counters.offered, q.waiting, q.agents, null);
      return [name, q.serviceLevel ? { ...own, serviceLevelSeconds: q.serviceLevel.seconds, serviceLevelTargetPercent: q.serviceLevel.targetPercent } : own];
    }),
  );
  const total = sumCounters(entries.map(([, q]) => q.counters));
  const oldest = entries.map(([, q]) => q.waiting.oldestEnqueuedAt).filter((t): t is number => t !== null);
  const centreWaiting: WaitingNow = {
    count: entries.reduce((n, [, q]) => n + q.waiting.count, 0),
    oldestEnqueuedAt: oldest.length > 0 ? Math.min(...oldest) : null,
  };
  const centreOffered = Math.max(0, total.offered - total.overflowedOnward);
  const centre = figures(inputs.at, total, centreOffered, centreWaiting, inputs.centreAgents, inputs.callbacksPending);
  return inputs.agentList ? { at: inputs.at, centre, queues, agentList: inputs.agentList } : { at: inputs.at, centre, queues };
}

function figures(at: number, c: DayCounters, offered: number, waiting: WaitingNow, agents: AgentFigures, callbacksPending: number | null): QueueFigures {
  return {
    waiting: waiting.count,
    longestWaitSeconds: waiting.oldestEnqueuedAt === null ? 0 : Math.max(0, Math.floor((at - waiting.oldestEnqueuedAt) / 1000)),
    offered,
    answered: c.answered,
    abandoned: c.abandoned,
    answeredWithinThreshold: c.answeredWithin,
    serviceLevelPercent: percent(c.answeredWithin, offered),
    asaSeconds: mean(c.answeredWaitMs / 1000, c.answered),
    ahtSeconds: mean(c.handleMs / 1000, c.handled),
    abandonRatePercent: percent(c.abandoned, offered),
    agents: { ...agents },
    callbacksPending,
  };
}

function sumCounters(all: DayCounters[]): DayCounters {
  const total: DayCounters = { ...NO_COUNTS };
  for (const c of all) for (const field of DAY_COUNTER_FIELDS) total[field] += c[field];
  return total;
}

/** One decimal; capped at 100 (a call queued before midnight and answered after counts only today's side). */
function percent(part: number, whole: number): number | null {
  return whole > 0 ? round1(Math.min(100, (part / whole) * 100)) : null;
}

function mean(sum: number, count: number): number | null {
  return count > 0 ? round1(sum / count) : null;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
