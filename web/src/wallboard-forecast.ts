/**
 * From the wallboard's samples of the live figures to the Erlang C forecast: the arrival
 * rate is the growth of "offered today" over the last window, its trend the change against
 * the window before, staffing the agents taking calls now, AHT the day's. Pure.
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
}

export const WINDOW_MS = 15 * 60_000;
export const THRESHOLD_SECONDS = 15;
export const TARGET = 0.8;

/** Calls per second between the first sample at or after `from` and the last one at or before `to`; null with fewer than two samples. */
export function arrivalRate(samples: Sample[], from: number, to: number): number | null {
  const inside = samples.filter((s) => s.at >= from && s.at <= to);
  if (inside.length < 2) return null;
  const first = inside[0]!;
  const last = inside[inside.length - 1]!;
  if (last.at <= first.at) return null;
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
    thresholdSeconds: THRESHOLD_SECONDS,
    target: TARGET,
  });
}
