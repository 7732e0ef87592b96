/**
 * Erlang C against textbook values: the classic worked example of 100 calls in half an hour
 * (10 Erlangs) with an AHT of 180 s and a 20 s answer target, and a small case done by hand;
 * then the wallboard's breach forecast on rates that do and do not breach.
 */
import { describe, expect, it } from 'vitest';
import { averageSpeedOfAnswer, erlangC, forecastBreach, serviceLevel } from '../../src/acd/stats/erlang-c.js';

describe('Erlang C', () => {
  it('gives the probability of waiting of the textbook table (10 Erlangs, 11–15 agents)', () => {
    const table: Array<[number, number]> = [[11, 0.6821], [12, 0.4494], [13, 0.2853], [14, 0.1741], [15, 0.102]];
    for (const [agents, pWait] of table) expect(erlangC(agents, 10)).toBeCloseTo(pWait, 4);
  });

  it('is 4/9 for 2 Erlangs on 3 agents (by hand), 1 when agents cannot keep up, 0 with no traffic', () => {
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 12);
    expect(erlangC(10, 10)).toBe(1);
    expect(erlangC(5, 7.5)).toBe(1);
    expect(erlangC(5, 0)).toBe(0);
  });

  it('stays finite and exact for a large centre (recursion, no factorials)', () => {
    const p = erlangC(400, 380);
    expect(Number.isFinite(p)).toBe(true);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
  });

  it('gives the service level and ASA of the worked example (14 agents: 88.8 % within 20 s, ASA 7.8 s)', () => {
    const model = { arrivalsPerSecond: 100 / 1800, ahtSeconds: 180, agents: 14 };
    expect(serviceLevel(model, 20)).toBeCloseTo(0.8884, 3);
    expect(averageSpeedOfAnswer(model)).toBeCloseTo(7.84, 1);
    expect(serviceLevel({ ...model, agents: 13 }, 20)).toBeCloseTo(0.7956, 3);
    expect(serviceLevel({ ...model, agents: 10 }, 20)).toBe(0);
    expect(averageSpeedOfAnswer({ ...model, agents: 10 })).toBe(Number.POSITIVE_INFINITY);
    expect(serviceLevel({ ...model, arrivalsPerSecond: 0 }, 20)).toBe(1);
  });

  it('refuses negative inputs', () => {
    expect(() => erlangC(-1, 2)).toThrow(RangeError);
    expect(() => erlangC(3, Number.NaN)).toThrow(RangeError);
  });
});

describe('the breach forecast', () => {
  const base = { ahtSeconds: 180, agents: 14, thresholdSeconds: 15, target: 0.8 };

  it('is null within the horizon for a steady rate the staffing holds', () => {
    const f = forecastBreach({ ...base, arrivalsPerSecond: 100 / 1800, arrivalTrendPerHour: 0 });
    expect(f.serviceLevelNow).toBeGreaterThan(0.8);
    expect(f.breachInMinutes).toBeNull();
  });

  it('is 0 when the level is already below target', () => {
    const f = forecastBreach({ ...base, agents: 11, arrivalsPerSecond: 100 / 1800, arrivalTrendPerHour: 0 });
    expect(f.serviceLevelNow).toBeLessThan(0.8);
    expect(f.breachInMinutes).toBe(0);
  });

  it('finds the minute a rising rate crosses the target, and the level there is just below it', () => {
    // From 100 to 130 calls per half hour over the next hour.
    const input = { ...base, arrivalsPerSecond: 100 / 1800, arrivalTrendPerHour: 30 / 1800 };
    const f = forecastBreach(input);
    expect(f.breachInMinutes).not.toBeNull();
    const minute = f.breachInMinutes!;
    expect(minute).toBeGreaterThan(0);
    const rateAt = (m: number) => input.arrivalsPerSecond + (input.arrivalTrendPerHour * m) / 60;
    expect(serviceLevel({ ...input, arrivalsPerSecond: rateAt(minute) }, 15)).toBeLessThan(0.8);
    expect(serviceLevel({ ...input, arrivalsPerSecond: rateAt(minute - 1) }, 15)).toBeGreaterThanOrEqual(0.8);
  });
});
