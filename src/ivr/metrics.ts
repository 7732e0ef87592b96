/**
 * The IVR's own metrics: how callers leave the menu, and how often a look-up failed open
 * (Redis slow or away: the caller was let through as an ordinary caller). The second is the
 * one to alarm on: it counts callers served without their priority or restriction.
 */
import { Counter, type Registry } from 'prom-client';

export interface IvrMetrics {
  /** A caller look-up that failed or timed out and was passed over. */
  lookupDegraded(lookup: string): void;
  /** A caller classified at the start of the menu. */
  callerClassified(caller: string): void;
  unregister(): void;
}

export function createIvrMetrics(registry: Registry): IvrMetrics {
  const degraded = new Counter({
    name: 'hotline_ivr_lookups_degraded_total',
    help: 'Caller look-ups (priority, restriction) that failed or timed out; the caller was let through',
    labelNames: ['lookup'],
    registers: [registry],
  });
  const classified = new Counter({
    name: 'hotline_ivr_callers_total',
    help: 'Callers entering the menu, by class (normal, priority, restricted)',
    labelNames: ['caller'],
    registers: [registry],
  });
  return {
    lookupDegraded: (lookup) => degraded.inc({ lookup }),
    callerClassified: (caller) => classified.inc({ caller }),
    unregister() {
      registry.removeSingleMetric('hotline_ivr_lookups_degraded_total');
      registry.removeSingleMetric('hotline_ivr_callers_total');
    },
  };
}
