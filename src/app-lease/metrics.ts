/** The app lease's metric: 1 while this instance stands by for its app name, 0 while it drives it. */
import { Gauge, type Registry } from 'prom-client';
import type { SlotRole } from './slot-decision.js';

export function createAppSlotMetric(registry: Registry, app: string): { role(role: SlotRole): void } {
  const gauge = new Gauge({
    name: 'hotline_ari_app_standby',
    help: '1 while this instance stands by for its Stasis app name (another holds the app lease), 0 while it drives the app',
    labelNames: ['app'] as const,
    registers: [registry],
  });
  return { role: (role) => gauge.set({ app }, role === 'standby' ? 1 : 0) };
}
