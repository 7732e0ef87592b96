/**
 * The live figures from counters, waiting calls and agent counts: a scenario whose every
 * figure is computed by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { LiveSnapshotSchema, liveSnapshot, NO_AGENTS, NO_COUNTS, type DayCounters } from '../../src/acd/stats/index.js';

const AT = 1_764_050_000_000;
const counts = (c: Partial<DayCounters>): DayCounters => ({ ...NO_COUNTS, ...c });

describe('liveSnapshot', () => {
  const snapshot = liveSnapshot({
    at: AT,
    queues: {
      general: {
        // 10 offered, 7 answered (5 within 15 s, waits summing to 70 s), 2 abandoned,
        // 6 handled in 1230 s.
        counters: counts({ offered: 10, answered: 7, answeredWithin: 5, answeredWaitMs: 70_000, abandoned: 2, abandonedWaitMs: 90_000, handled: 6, handleMs: 1_230_000 }),
        // One call waiting since 42.7 s ago.
        waiting: { count: 1, oldestEnqueuedAt: AT - 42_700 },
        agents: { ready: 2, notReady: 1, ringing: 0, onCall: 3, wrapUp: 1 },
      },
      enterprise: {
        // 3 offered, of which 1 overflowed on into another queue; 2 answered (1 within
        // the threshold, waits 5 s + 25 s), 1 handled in 100 s.
        counters: counts({ offered: 3, answered: 2, answeredWithin: 1, answeredWaitMs: 30_000, handled: 1, handleMs: 100_000, overflowed: 1, overflowedOnward: 1 }),
        // Two calls waiting, the longest for 61 s.
        waiting: { count: 2, oldestEnqueuedAt: AT - 61_000 },
        agents: { ready: 0, notReady: 0, ringing: 1, onCall: 1, wrapUp: 0 },
      },
      leaders: { counters: NO_COUNTS, waiting: { count: 0, oldestEnqueuedAt: null }, agents: NO_AGENTS },
    },
    centreAgents: { ready: 2, notReady: 1, ringing: 1, onCall: 4, wrapUp: 1 },
    callbacksPending: 4,
  });

  it('figures a busy queue', () => {
    expect(snapshot.queues.general).toEqual({
      waiting: 1,
      longestWaitSeconds: 42, // 42.7 s, whole seconds
      offered: 10,
      answered: 7,
      abandoned: 2,
      answeredWithinThreshold: 5,
      serviceLevelPercent: 50, // 5 / 10
      asaSeconds: 10, // 70 s / 7
      ahtSeconds: 205, // 1230 s / 6
      abandonRatePercent: 20, // 2 / 10
      agents: { ready: 2, notReady: 1, ringing: 0, onCall: 3, wrapUp: 1 },
      callbacksPending: null,
    });
  });

  it('rounds to one decimal and counts an overflowed call where it was offered', () => {
    expect(snapshot.queues.enterprise).toMatchObject({
      waiting: 2,
      longestWaitSeconds: 61,
      offered: 3,
      serviceLevelPercent: 33.3, // 1 / 3 = 33.33 %
      asaSeconds: 15, // 30 s / 2
      ahtSeconds: 100, // 100 s / 1
      abandonRatePercent: 0, // 0 / 3
    });
  });

  it('has no rates for a queue nothing was offered to', () => {
    expect(snapshot.queues.leaders).toEqual({
      waiting: 0,
      longestWaitSeconds: 0,
      offered: 0,
      answered: 0,
      abandoned: 0,
      answeredWithinThreshold: 0,
      serviceLevelPercent: null,
      asaSeconds: null,
      ahtSeconds: null,
      abandonRatePercent: null,
      agents: NO_AGENTS,
      callbacksPending: null,
    });
  });

  it('figures the centre: each call offered once, its agents and callbacks', () => {
    expect(snapshot.centre).toEqual({
      waiting: 3, // 1 + 2 + 0
      longestWaitSeconds: 61, // the longest of any queue
      offered: 12, // 10 + 3 - 1 overflowed on into another queue
      answered: 9, // 7 + 2
      abandoned: 2,
      answeredWithinThreshold: 6, // 5 + 1
      serviceLevelPercent: 50, // 6 / 12
      asaSeconds: 11.1, // (70 s + 30 s) / 9 = 11.11 s
      ahtSeconds: 190, // (1230 s + 100 s) / 7
      abandonRatePercent: 16.7, // 2 / 12 = 16.67 %
      agents: { ready: 2, notReady: 1, ringing: 1, onCall: 4, wrapUp: 1 },
      callbacksPending: 4,
    });
    expect(snapshot.at).toBe(AT);
  });

  it('matches the published schema', () => {
    expect(LiveSnapshotSchema.parse(snapshot)).toEqual(snapshot);
  });

  it('never shows a service level above 100 % (answered today, offered before midnight)', () => {
    const after = liveSnapshot({
      at: AT,
      queues: { general: { counters: counts({ offered: 1, answered: 2, answeredWithin: 2, answeredWaitMs: 4000 }), waiting: { count: 0, oldestEnqueuedAt: null }, agents: NO_AGENTS } },
      centreAgents: NO_AGENTS,
      callbacksPending: null,
    });
    expect(after.queues.general!.serviceLevelPercent).toBe(100);
  });
});
