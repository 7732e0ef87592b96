/**
 * The ACD's own metrics: picks by queue and result, how long a pick takes (one Redis round
 * trip), and agents by state. A scrape never waits on Redis: the agent counts come from
 * the last background sample (a LastGoodSample), and are left out until one answered.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AgentStateKind } from './agent-state.js';

export interface AcdMetrics {
  /** One pick: `picked` when a call and an agent were paired, `none` otherwise. */
  picked(queue: string, result: 'picked' | 'none', seconds: number): void;
  unregister(): void;
}

const NAMES = ['hotline_acd_picks_total', 'hotline_acd_pick_seconds', 'hotline_acd_agents'] as const;

export function createAcdMetrics(registry: Registry, agentCounts: () => Record<AgentStateKind, number> | null): AcdMetrics {
  const picks = new Counter({
    name: NAMES[0],
    help: 'Routing picks by queue and result (picked: a call and an agent paired; none: nothing to pair now)',
    labelNames: ['queue', 'result'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: NAMES[1],
    help: 'Time of one routing pick (one Redis round trip running the acd-pick script)',
    labelNames: ['queue'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [registry],
  });
  new Gauge({
    name: NAMES[2],
    help: 'Agents by state, from the last background sample of Redis',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const counts = agentCounts();
      if (counts) for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  return {
    picked(queue, result, seconds) {
      picks.inc({ queue, result });
      latency.observe({ queue }, seconds);
    },
    unregister() {
      for (const name of NAMES) registry.removeSingleMetric(name);
    },
  };
}
