/**
 * One minute of the live figures as the history keeps it: per queue and for the centre, the
 * calls waiting and the longest wait, the agents by state, the day's counts so far, the
 * service level, abandon rate, ASA and AHT. Pure: a snapshot in, a sample out; and the
 * arrivals between samples, from the growth of "offered today".
 */
import type { AgentFigures, LiveSnapshot, QueueFigures } from './live-stats.js';

/** The history's grain: one sample per minute. */
export const HISTORY_SLOT_MS = 60_000;

export interface HistoryFigures {
  waiting: number;
  longestWaitSeconds: number;
  offered: number;
  answered: number;
  abandoned: number;
  serviceLevelPercent: number | null;
  abandonRatePercent: number | null;
  asaSeconds: number | null;
  ahtSeconds: number | null;
  agents: AgentFigures;
}

export interface HistorySample {
  /** The minute slot's start, epoch ms. */
  at: number;
  /** When the figures were read, epoch ms (within the slot). */
  readAt: number;
  centre: HistoryFigures;
  queues: Record<string, HistoryFigures>;
}

/** A sample with the calls that arrived since the previous one. */
export interface HistoryFiguresWithArrivals extends HistoryFigures {
  /** Calls offered since the previous sample; null for the first one. */
  arrivals: number | null;
}

export interface HistoryPoint {
  at: number;
  readAt: number;
  centre: HistoryFiguresWithArrivals;
  queues: Record<string, HistoryFiguresWithArrivals>;
}

export function slotOf(at: number): number {
  return Math.floor(at / HISTORY_SLOT_MS) * HISTORY_SLOT_MS;
}

export function historySampleOf(snapshot: LiveSnapshot): HistorySample {
  return {
    at: slotOf(snapshot.at),
    readAt: snapshot.at,
    centre: figuresOf(snapshot.centre),
    queues: Object.fromEntries(Object.entries(snapshot.queues).map(([name, q]) => [name, figuresOf(q)])),
  };
}

function figuresOf(q: QueueFigures): HistoryFigures {
  return {
    waiting: q.waiting,
    longestWaitSeconds: q.longestWaitSeconds,
    offered: q.offered,
    answered: q.answered,
    abandoned: q.abandoned,
    serviceLevelPercent: q.serviceLevelPercent,
    abandonRatePercent: q.abandonRatePercent,
    asaSeconds: q.asaSeconds,
    ahtSeconds: q.ahtSeconds,
    agents: { ...q.agents },
  };
}

/**
 * Samples in time order, each with its arrivals: "offered today" grows through the day and
 * starts again at the centre's midnight, so a drop means a new day whose calls so far all
 * arrived since the previous sample.
 */
export function withArrivals(samples: HistorySample[]): HistoryPoint[] {
  const arrivals = (now: HistoryFigures, before: HistoryFigures | undefined): number | null =>
    before === undefined ? null : now.offered >= before.offered ? now.offered - before.offered : now.offered;
  return samples.map((sample, i) => {
    const previous = samples[i - 1];
    return {
      at: sample.at,
      readAt: sample.readAt,
      centre: { ...sample.centre, arrivals: arrivals(sample.centre, previous?.centre) },
      queues: Object.fromEntries(Object.entries(sample.queues).map(([name, q]) => [name, { ...q, arrivals: arrivals(q, previous?.queues[name]) }])),
    };
  });
}
