/**
 * The callbacks' metrics: jobs scheduled by kind and result, attempts and jobs finished by
 * outcome (the centre is judged on its callback rate: Dehong art. 29, Shangrao art. 22), and
 * jobs waiting or in flight. A scrape never waits on Redis: the pending figures are the last
 * ones read (`pending()` answers, or a background sample), left out until one answered.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { AttemptOutcome, CallbackKind } from './callback-job.js';

export interface CallbackMetrics {
  scheduled(kind: CallbackKind, result: string): void;
  /** One attempt's outcome, and when the job ended with it, the final one. */
  attempted(kind: CallbackKind, outcome: AttemptOutcome | 'lease-expired', final: 'connected' | 'given-up' | null): void;
  pendingSeen(figures: { waiting: number; inFlight: number }): void;
  unregister(): void;
}

const NAMES = ['hotline_callbacks_scheduled_total', 'hotline_callbacks_attempts_total', 'hotline_callbacks_finished_total', 'hotline_callbacks_pending'] as const;

export function createCallbackMetrics(registry: Registry): CallbackMetrics {
  let last: { waiting: number; inFlight: number } | null = null;
  const scheduled = new Counter({
    name: NAMES[0],
    help: 'Callback requests by kind (missed, virtual-hold) and result (scheduled, already, not-dialable, disabled, no-calling-hours)',
    labelNames: ['kind', 'result'] as const,
    registers: [registry],
  });
  const attempts = new Counter({
    name: NAMES[1],
    help: 'Callback attempts by kind and outcome (connected, no-answer, busy, failed, given-up, lease-expired)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const finished = new Counter({
    name: NAMES[2],
    help: 'Callback jobs ended by kind and final outcome (connected, given-up)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  new Gauge({
    name: NAMES[3],
    help: 'Callback jobs waiting to be due or due (waiting) and claimed by an instance (in-flight), as last read from Redis',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      if (last) {
        this.set({ state: 'waiting' }, last.waiting);
        this.set({ state: 'in-flight' }, last.inFlight);
      }
    },
  });
  return {
    scheduled: (kind, result) => scheduled.inc({ kind, result }),
    attempted(kind, outcome, final) {
      attempts.inc({ kind, outcome });
      if (final) finished.inc({ kind, outcome: final });
    },
    pendingSeen(figures) {
      last = figures;
    },
    unregister() {
      for (const name of NAMES) registry.removeSingleMetric(name);
    },
  };
}
