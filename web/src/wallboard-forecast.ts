/**
 * From the wallboard's samples of the live figures to the Erlang C forecast: the arrival
 * rate is the growth of "offered today" over the last window (the server's per-minute
 * history, then the live points), its trend the change against the window before, staffing
 * the agents taking calls now, AHT the day's. Per queue with the queue's own threshold and
 * target (serviceLevelSeconds, serviceLevelTargetPercent), and for the centre with
 * GB/T 33358-2016's 15 s and 80 %. Pure.
 */
import { forecastBreach, type BreachForecast } from '../../src/acd/stats/erlang-c.js';

export interface Sample {
  at: number;
  offered: number;
  waiting: number;
  serviceLevelPercent: number | null;
}

export interface ForecastFigures {
  ahtSeconds: number | null;
  staffed: number;
  /** The queue's threshold (default 15 s) and target share 0..1 (default 0.8). */
  thresholdSeconds?: number;
  target?: number;
}

export const WINDOW_MS = 15 * 60_000;
/** A rate read over less than this is noise (one call in a few seconds is not hundreds an hour): no rate. */
export const SHORTEST_SPAN_MS = 5 * 60_000;
export const THRESHOLD_SECONDS = 15;
export const TARGET = 0.8;

/** Calls per second between the first sample at or after `from` and the last one at or before `to`; null with fewer than two samples or less than SHORTEST_SPAN_MS between them. */
export function arrivalRate(samples: Sample[], from: number, to: number): number | null {
  const inside = samples.filter((s) => s.at >= from && s.at <= to);
  if (inside.length < 2) return null;
  const first = inside[0]!;
  const last = inside[inside.length - 1]!;
  if (last.at - first.at < SHORTEST_SPAN_MS) return null;
  // "Offered today" starts again at midnight: a drop is a new day, not negative arrivals.
  return Math.max(0, last.offered - first.offered) / ((last.at - first.at) / 1000);
}

export function forecastFrom(samples: Sample[], figures: ForecastFigures, now: number): BreachForecast | null {
  const rate = arrivalRate(samples, now - WINDOW_MS, now);
  if (rate === null || figures.ahtSeconds === null || figures.ahtSeconds <= 0) return null;
  const before = arrivalRate(samples, now - 2 * WINDOW_MS, now - WINDOW_MS);
  const trendPerHour = before === null ? 0 : ((rate - before) * 3_600_000) / WINDOW_MS;
  return forecastBreach({
    arrivalsPerSecond: rate,
    arrivalTrendPerHour: trendPerHour,
    ahtSeconds: figures.ahtSeconds,
    agents: figures.staffed,
    thresholdSeconds: figures.thresholdSeconds ?? THRESHOLD_SECONDS,
    target: figures.target ?? TARGET,
  });
}

/** A queue's figures as the live snapshot carries them (what the forecast needs). */
export interface QueueNow {
  ahtSeconds: number | null;
  agents: { ready: number; ringing: number; onCall: number; wrapUp: number };
  serviceLevelSeconds?: number;
  serviceLevelTargetPercent?: number;
}

export interface QueueForecast {
  queue: string;
  thresholdSeconds: number;
  targetPercent: number;
  staffed: number;
  /** Calls per hour over the last window; null without two samples in it. */
  arrivalsPerHour: number | null;
  forecast: BreachForecast | null;
}

/** Agents taking calls: ready, ringing, on a call or in wrap-up (not those not ready). */
export const staffedOf = (a: QueueNow['agents']): number => a.ready + a.ringing + a.onCall + a.wrapUp;

/** Each queue's forecast, in the snapshot's order, from its own samples. */
export function queueForecasts(series: Record<string, Sample[]>, queues: Record<string, QueueNow>, now: number): QueueForecast[] {
  return Object.entries(queues).map(([queue, q]) => {
    const samples = series[queue] ?? [];
    const thresholdSeconds = q.serviceLevelSeconds ?? THRESHOLD_SECONDS;
    const targetPercent = q.serviceLevelTargetPercent ?? TARGET * 100;
    const staffed = staffedOf(q.agents);
    const rate = arrivalRate(samples, now - WINDOW_MS, now);
    return {
      queue,
      thresholdSeconds,
      targetPercent,
      staffed,
      arrivalsPerHour: rate === null ? null : rate * 3600,
      forecast: forecastFrom(samples, { ahtSeconds: q.ahtSeconds, staffed, thresholdSeconds, target: targetPercent / 100 }, now),
    };
  });
}
