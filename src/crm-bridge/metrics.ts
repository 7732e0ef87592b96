/**
 * The bridge's Prometheus metrics, registered on the registry the wiring passes in. Depth,
 * lag and dead-letter counts are read from Redis when scraped, so every instance reports
 * the same truth. `unregister` lets a restarted bridge in the same process register again.
 */
import { Counter, Gauge, register as globalRegister, type Registry } from 'prom-client';

export interface OutboxProbe {
  sinks(): string[];
  depth(sink: string): Promise<number>;
  /** Age in seconds of the oldest message still waiting for this sink (0 when none). */
  lagSeconds(sink: string): Promise<number>;
  deadLetterCount(sink: string): Promise<number>;
}

export interface CrmBridgeMetrics {
  delivered: Counter<'sink'>;
  retried: Counter<'sink'>;
  deadLettered: Counter<'sink' | 'reason'>;
  replayed: Counter<'sink'>;
  outboxWriteFailures: Counter;
  outboxBuffered: Gauge;
  inbound: Counter<'type' | 'result'>;
  inboundHandlerFailures: Counter<'type'>;
  lookups: Counter<'op' | 'result'>;
  circuitOpen: Gauge;
  unregister(): void;
}

export function createCrmBridgeMetrics(probe: OutboxProbe, registry: Registry = globalRegister): CrmBridgeMetrics {
  const registers = [registry];
  const names: string[] = [];
  const named = <T extends { name: string }>(config: T): T => {
    names.push(config.name);
    return config;
  };
  const perSink = async (gauge: Gauge<'sink'>, read: (sink: string) => Promise<number>) => {
    gauge.reset();
    await Promise.all(probe.sinks().map(async (sink) => gauge.set({ sink }, await read(sink))));
  };

  const metrics: Omit<CrmBridgeMetrics, 'unregister'> = {
    delivered: new Counter(named({ name: 'crm_bridge_delivered_total', help: 'Messages a sink acknowledged', labelNames: ['sink'] as const, registers })),
    retried: new Counter(named({ name: 'crm_bridge_retried_total', help: 'Failed delivery attempts that will be retried', labelNames: ['sink'] as const, registers })),
    deadLettered: new Counter(named({
      name: 'crm_bridge_dead_lettered_total',
      help: 'Messages moved to the dead-letter list (reason: exhausted, rejected, held-behind)',
      labelNames: ['sink', 'reason'] as const,
      registers,
    })),
    replayed: new Counter(named({ name: 'crm_bridge_replayed_total', help: 'Dead letters put back in the outbox', labelNames: ['sink'] as const, registers })),
    outboxWriteFailures: new Counter(named({
      name: 'crm_bridge_outbox_write_failures_total',
      help: 'Failed attempts to store accepted events in Redis (they stay in memory and are retried)',
      registers,
    })),
    outboxBuffered: new Gauge(named({ name: 'crm_bridge_outbox_buffered', help: 'Accepted events not yet stored in Redis', registers })),
    inbound: new Counter(named({
      name: 'crm_bridge_inbound_total',
      help: 'Inbound ticket events by result (accepted, duplicate, bad-signature, bad-body)',
      labelNames: ['type', 'result'] as const,
      registers,
    })),
    inboundHandlerFailures: new Counter(named({
      name: 'crm_bridge_inbound_handler_failures_total',
      help: 'Ticket event handler runs that threw (retried, then dead-lettered)',
      labelNames: ['type'] as const,
      registers,
    })),
    lookups: new Counter(named({
      name: 'crm_bridge_lookups_total',
      help: 'Ticket backend look-ups by result (ok, not-found, timeout, circuit-open, error)',
      labelNames: ['op', 'result'] as const,
      registers,
    })),
    circuitOpen: new Gauge(named({ name: 'crm_bridge_lookup_circuit_open', help: '1 while the look-up circuit is open', registers })),
  };

  new Gauge({
    ...named({ name: 'crm_bridge_outbox_depth', help: 'Messages waiting in a sink outbox', labelNames: ['sink'] as const, registers }),
    async collect() {
      await perSink(this, probe.depth);
    },
  });
  new Gauge({
    ...named({ name: 'crm_bridge_outbox_lag_seconds', help: 'Age of the oldest message waiting for a sink', labelNames: ['sink'] as const, registers }),
    async collect() {
      await perSink(this, probe.lagSeconds);
    },
  });
  new Gauge({
    ...named({ name: 'crm_bridge_dead_letters', help: 'Dead letters waiting for a replay', labelNames: ['sink'] as const, registers }),
    async collect() {
      await perSink(this, probe.deadLetterCount);
    },
  });

  return {
    ...metrics,
    unregister: () => names.forEach((name) => registry.removeSingleMetric(name)),
  };
}
