/** The wallboard's reading of its samples for the Erlang C forecast: the arrival rate, its trend, and no forecast without data. */
import { describe, expect, it } from 'vitest';
import { forecastBreach } from '../../src/acd/stats/erlang-c.js';
import { WINDOW_MS, arrivalRate, forecastFrom, queueForecasts, type Sample } from '../../web/src/wallboard-forecast.js';

const T = 1_764_000_000_000;
const sample = (minutesAgo: number, offered: number): Sample => ({ at: T - minutesAgo * 60_000, offered, waiting: 0, serviceLevelPercent: null });

describe('the wallboard forecast', () => {
  it('reads the arrival rate from the growth of offered calls, and a new day as no arrivals', () => {
    expect(arrivalRate([sample(10, 100), sample(0, 160)], T - WINDOW_MS, T)).toBeCloseTo(60 / 600, 9);
    expect(arrivalRate([sample(10, 100), sample(0, 3)], T - WINDOW_MS, T)).toBe(0);
    expect(arrivalRate([sample(0, 3)], T - WINDOW_MS, T)).toBeNull();
    // A few seconds of samples give no rate: one call in 4 s is not 900 an hour.
    expect(arrivalRate([{ ...sample(0, 0), at: T - 4000 }, sample(0, 1)], T - WINDOW_MS, T)).toBeNull();
    expect(arrivalRate([sample(5, 0), sample(0, 1)], T - WINDOW_MS, T)).toBeCloseTo(1 / 300, 9);
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

  it('forecasts each queue from its own samples, staffing, threshold and target', () => {
    const agents = { ready: 2, ringing: 1, onCall: 6, wrapUp: 1 };
    const series = { general: [sample(30, 0), sample(15, 90), sample(0, 270)], housing: [sample(10, 5), sample(0, 11)], quiet: [sample(0, 0)] };
    const got = queueForecasts(
      series,
      {
        general: { ahtSeconds: 180, agents, serviceLevelSeconds: 20, serviceLevelTargetPercent: 90 },
        housing: { ahtSeconds: 240, agents: { ...agents, onCall: 1 } },
        quiet: { ahtSeconds: null, agents },
      },
      T,
    );
    expect(got.map((q) => [q.queue, q.thresholdSeconds, q.targetPercent, q.staffed])).toEqual([
      ['general', 20, 90, 10],
      ['housing', 15, 80, 5],
      ['quiet', 15, 80, 10],
    ]);
    expect(got[0]!.forecast).toEqual(forecastBreach({ arrivalsPerSecond: 0.2, arrivalTrendPerHour: 0.4, ahtSeconds: 180, agents: 10, thresholdSeconds: 20, target: 0.9 }));
    expect(got[1]!.arrivalsPerHour).toBeCloseTo(36, 9);
    expect(got[1]!.forecast).toEqual(forecastBreach({ arrivalsPerSecond: 0.01, arrivalTrendPerHour: 0, ahtSeconds: 240, agents: 5, thresholdSeconds: 15, target: 0.8 }));
    // No AHT and a single sample: no forecast for that queue, the others still have theirs.
    expect(got[2]).toMatchObject({ arrivalsPerHour: null, forecast: null });
  });
});
