/**
 * The call metrics a centre is judged by, fed from domain events: calls started per line,
 * ended per outcome, calls in progress, and how long calls last.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DomainEventBus } from './event-bus.js';

export function registerCallMetrics(bus: DomainEventBus, registry: Registry, activeCalls: () => number): () => void {
  const started = new Counter({ name: 'hotline_calls_started_total', help: 'Calls that entered the service', labelNames: ['line'], registers: [registry] });
  const ended = new Counter({ name: 'hotline_calls_ended_total', help: 'Calls that left the service', labelNames: ['outcome', 'ended_by'], registers: [registry] });
  // Read from the registry at scrape time: adopted calls never published a start.
  new Gauge({
    name: 'hotline_calls_active',
    help: 'Calls in the service now',
    registers: [registry],
    collect() {
      this.set(activeCalls());
    },
  });
  const duration = new Histogram({
    name: 'hotline_call_duration_seconds',
    help: 'Time from entering the service to leaving it',
    buckets: [5, 15, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  });
  const offs = [
    bus.on('call.started', (e) => {
      started.inc({ line: e.data.line });
    }),
    bus.on('call.ended', (e) => {
      ended.inc({ outcome: e.data.outcome, ended_by: e.data.endedBy });
      duration.observe(e.data.durationMs / 1000);
    }),
  ];
  return () => offs.forEach((off) => off());
}
