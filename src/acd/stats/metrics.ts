/**
 * The live statistics as Prometheus gauges, per queue, from the last snapshot in memory: a
 * scrape never waits on Redis, and a queue's gauges are left out until a snapshot exists.
 * A figure that has no value yet (no call answered: no ASA) is left out, not reported 0.
 * The centre's figures are gauges of their own (`hotline_acd_centre_*`): summing the
 * per-queue ones would count a call that overflowed into another queue twice.
 * Also counted: recordings that failed (the figures they would have added are lost), and the
 * age of the snapshot served.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { LiveSnapshot, QueueFigures } from './live-stats.js';

export interface AcdStatsMetrics {
  recordFailed(): void;
  unregister(): void;
}

type Figure = (q: QueueFigures) => number | null;

const PER_QUEUE: Array<{ name: string; help: string; figure: Figure }> = [
  { name: 'hotline_acd_calls_waiting', help: 'Calls waiting in the queue now (not those ringing at an agent)', figure: (q) => q.waiting },
  { name: 'hotline_acd_longest_wait_seconds', help: 'Wait of the call waiting longest in the queue now, 0 when none waits', figure: (q) => q.longestWaitSeconds },
  {
    name: 'hotline_acd_service_level_ratio',
    help: 'Today (centre local day): calls answered within the queue\'s serviceLevelSeconds / calls offered (GB/T 33358-2016), 0..1',
    figure: (q) => (q.serviceLevelPercent === null ? null : q.serviceLevelPercent / 100),
  },
  { name: 'hotline_acd_calls_offered_today', help: 'Calls queued today (centre local day)', figure: (q) => q.offered },
  { name: 'hotline_acd_calls_answered_today', help: 'Calls answered by an agent today (centre local day)', figure: (q) => q.answered },
  { name: 'hotline_acd_calls_abandoned_today', help: 'Calls the caller left while waiting or ringing today (centre local day)', figure: (q) => q.abandoned },
  {
    name: 'hotline_acd_calls_answered_within_threshold_today',
    help: 'Calls answered within the queue\'s serviceLevelSeconds today (centre local day)',
    figure: (q) => q.answeredWithinThreshold,
  },
  { name: 'hotline_acd_asa_seconds', help: 'Average speed of answer today: mean wait of answered calls', figure: (q) => q.asaSeconds },
  { name: 'hotline_acd_aht_seconds', help: 'Average handle time today: mean talk time (answer to hang-up) of calls ended', figure: (q) => q.ahtSeconds },
];

const centreName = (name: string): string => name.replace(/^hotline_acd_/, 'hotline_acd_centre_');

const RECORD_FAILURES = 'hotline_acd_stats_record_failures_total';
const CALLBACKS_PENDING = 'hotline_acd_callbacks_pending';
const SNAPSHOT_AGE = 'hotline_acd_stats_snapshot_age_seconds';

export function createAcdStatsMetrics(registry: Registry, snapshot: () => LiveSnapshot | null, now: () => number = Date.now): AcdStatsMetrics {
  for (const { name, help, figure } of PER_QUEUE) {
    new Gauge({
      name,
      help: `${help}; from the last background sample`,
      labelNames: ['queue'] as const,
      registers: [registry],
      collect() {
        this.reset();
        const last = snapshot();
        if (!last) return;
        for (const [queue, figures] of Object.entries(last.queues)) {
          const value = figure(figures);
          if (value !== null) this.set({ queue }, value);
        }
      },
    });
    new Gauge({
      name: centreName(name),
      help: `The whole centre, a call overflowing into another queue counted once. ${help}; from the last background sample`,
      registers: [registry],
      collect() {
        this.reset();
        const centre = snapshot()?.centre;
        const value = centre ? figure(centre) : null;
        if (value !== null) this.set(value);
      },
    });
  }
  new Gauge({
    name: CALLBACKS_PENDING,
    help: 'Callback requests of the centre not yet done; from the last background sample',
    registers: [registry],
    collect() {
      this.reset();
      const pending = snapshot()?.centre.callbacksPending;
      if (pending !== null && pending !== undefined) this.set(pending);
    },
  });
  new Gauge({
    name: SNAPSHOT_AGE,
    help: 'Seconds since the ACD live statistics were last read from Redis (grows while Redis does not answer)',
    registers: [registry],
    collect() {
      this.reset();
      const last = snapshot();
      if (last) this.set(Math.max(0, (now() - last.at) / 1000));
    },
  });
  const failures = new Counter({
    name: RECORD_FAILURES,
    help: 'ACD statistics events not recorded in Redis (the figure is lost; the call was not affected)',
    registers: [registry],
  });
  return {
    recordFailed: () => failures.inc(),
    unregister() {
      for (const name of [...PER_QUEUE.flatMap((m) => [m.name, centreName(m.name)]), CALLBACKS_PENDING, SNAPSHOT_AGE, RECORD_FAILURES]) registry.removeSingleMetric(name);
    },
  };
}
