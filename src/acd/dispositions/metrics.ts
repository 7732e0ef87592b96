/** Wrap-ups by disposition: one count per call.disposition, `none` when the wrap-up ended without one. */
import { Counter, type Registry } from 'prom-client';

export interface DispositionMetrics {
  counted(code: string | null): void;
  unregister(): void;
}

const NAME = 'hotline_acd_dispositions_total';

export function createDispositionMetrics(registry: Registry): DispositionMetrics {
  const counter = new Counter({
    name: NAME,
    help: 'Wrap-ups ended, by the disposition the agent gave the call (acd.dispositions codes; none: no disposition given)',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  return {
    counted: (code) => counter.inc({ code: code ?? 'none' }),
    unregister: () => registry.removeSingleMetric(NAME),
  };
}
