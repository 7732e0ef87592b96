/** The wallboard's reading of its samples for the Erlang C forecast: the arrival rate, its trend, and no forecast without data. */
import { describe, expect, it } from 'vitest';
import { forecastBreach } from '../../src/acd/stats/erlang-c.js';
import { WINDOW_MS, arrivalRate, forecastFrom, type Sample } from '../../web/src/wallboard-forecast.js';

const T = 1_764_000_000_000;
const sample = (minutesAgo: number, offered: number): Sample => ({ at: T - minutesAgo * 60_000, offered, waiting: 0, serviceLevelPercent: null });

describe('the wallboard forecast', () => {
  it('reads the arrival rate from the growth of offered calls, and a new day as no arrivals', () => {
    expect(arrivalRate([sample(10, 100), sample(0, 160)], T - WINDOW_MS, T)).toBeCloseTo(60 / 600, 9);
    expect(arrivalRate([sample(10, 100), sample(0, 3)], T - WINDOW_MS, T)).toBe(0);
    expect(arrivalRate([sample(0, 3)], T - WINDOW_MS, T)).toBeNull();
  });

  it('gives no forecast without two samples or without an AHT', () => {
    expect(forecastFrom([sample(0, 3)], { ahtSeconds: 180, staffed: 5 }, T)).toBeNull();
    expect(forecastFrom([sample(10, 0), sample(0, 60)], { ahtSeconds: null, staffed: 5 }, T)).toBeNull();
  });

  it('feeds Erlang C the rate of the last window and its change against the window before', () => {
    // 90 calls in the earlier 15 minutes, 180 in the last: 0.1/s then 0.2/s.
    const samples = [sample(30, 0), sample(15, 90), sample(0, 270)];
    const got = forecastFrom(samples, { ahtSeconds: 180, staffed: 40 }, T);
    const want = forecastBreach({ arrivalsPerSecond: 0.2, arrivalTrendPerHour: 0.4, ahtSeconds: 180, agents: 40, thresholdSeconds: 15, target: 0.8 });
    expect(got).toEqual(want);
    expect(got!.breachInMinutes).not.toBeNull();
  });
});
