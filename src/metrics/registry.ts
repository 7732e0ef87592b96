/**
 * One Prometheus registry for the service, with Node's default process metrics. Features
 * register their own metrics on it; `/metrics` serves it.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
