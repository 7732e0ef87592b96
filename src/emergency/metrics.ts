/** The emergency linkage's figures: transfers by route and outcome, and every time no target answered (an alert). */
import { Counter, type Registry } from 'prom-client';

export interface EmergencyMetrics {
  transferred(route: string, outcome: 'answered' | 'failed' | 'caller-gone'): void;
  unregister(): void;
}

export function createEmergencyMetrics(registry: Registry): EmergencyMetrics {
  const transfers = new Counter({
    name: 'hotline_emergency_transfers_total',
    help: 'Emergency transfers by route and outcome; outcome "failed" means no target answered (supervisors are alerted)',
    labelNames: ['route', 'outcome'] as const,
    registers: [registry],
  });
  return {
    transferred: (route, outcome) => transfers.inc({ route, outcome }),
    unregister: () => registry.removeSingleMetric('hotline_emergency_transfers_total'),
  };
}
