/**
 * The bridge's Prometheus metrics, registered on the registry the wiring passes in.
 * A scrape never waits on Redis: depth, lag and dead-letter counts come from the last
 * background sample (OutboxSampler; `crm_bridge_sample_age_seconds` says how old it is),
 * and stuck delivery from the deliverers' memory. `unregister` lets a restarted bridge in
 * the same process register again.
 */
import { Counter, Gauge, register as globalRegister, type Registry } from 'prom-client';

/** What the collectors read at scrape time: all from memory. */
export interface OutboxView {
  sinks(): string[];
  /** From the last sample that answered; null before the first. */
  sampled(sink: string): { depth: number; lagSeconds: number; deadLetters: number } | null;
  /** Age of that sample in seconds (time since the sampler started while none answered). */
  sampleAgeSeconds(): number;
  /** Seconds a sink's delivery has made no progress while messages wait (0 when none wait). */
  stuckSeconds(sink: string): number;
}

export interface CrmBridgeMetrics {
  delivered: Counter<'sink'>;
  retried: Counter<'sink'>;
  deadLettered: Counter<'sink' | 'reason'>;
  replayed: Counter<'sink'>;
  outboxWriteFailures: Counter;
  outboxBuffered: Gauge;
  outboxUnreadKept: Gauge;
  outboxUnreadReleased: Counter;
  outboxStoredAgain: Counter;
  eventsRefused: Counter<'reason'>;
  inbound: Counter<'type' | 'result'>;
  inboundHandlerFailures: Counter<'type'>;
  lookups: Counter<'op' | 'result'>;
  circuitOpen: Gauge;
  unregister(): void;
}

export function createCrmBridgeMetrics(view: OutboxView, registry: Registry = globalRegister): CrmBridgeMetrics {
  const registers = [registry];
  const names: string[] = [];
  const named = <T extends { name: string }>(config: T): T => {
    names.push(config.name);
    return config;
  };
  const perSink = (gauge: Gauge<'sink'>, read: (sink: string) => number | undefined) => {
    gauge.reset();
    for (const sink of view.sinks()) {
      const value = read(sink);
      if (value !== undefined) gauge.set({ sink }, value);
    }
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
    outboxUnreadKept: new Gauge(named({
      name: 'crm_bridge_outbox_unread_kept',
      help: 'Stored events no deliverer has read yet, kept in memory to store again should Redis lose its data',
      registers,
    })),
    outboxUnreadReleased: new Counter(named({
      name: 'crm_bridge_outbox_unread_released_total',
      help: 'Stored, unread events let go from memory at the maxBufferedEvents bound (still in Redis, but lost should Redis lose its data)',
      registers,
    })),
    outboxStoredAgain: new Counter(named({
      name: 'crm_bridge_outbox_stored_again_total',
      help: 'Events stored again after Redis lost them (restarted empty)',
      registers,
    })),
    eventsRefused: new Counter(named({
      name: 'crm_bridge_events_refused_total',
      help: 'Events refused because the outbox memory was full while Redis did not take them (reason: new-call, non-essential, buffer-full); they never reach a sink',
      labelNames: ['reason'] as const,
      registers,
    })),
    inbound: new Counter(named({
      name: 'crm_bridge_inbound_total',
      help: 'Inbound ticket events by result (accepted, duplicate, conflict, bad-signature, bad-body)',
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
    ...named({ name: 'crm_bridge_outbox_depth', help: 'Messages waiting in a sink outbox (last sample)', labelNames: ['sink'] as const, registers }),
    collect() {
      perSink(this, (sink) => view.sampled(sink)?.depth);
    },
  });
  new Gauge({
    ...named({ name: 'crm_bridge_outbox_lag_seconds', help: 'Age of the oldest message waiting for a sink (last sample)', labelNames: ['sink'] as const, registers }),
    collect() {
      perSink(this, (sink) => view.sampled(sink)?.lagSeconds);
    },
  });
  new Gauge({
    ...named({ name: 'crm_bridge_dead_letters', help: 'Dead letters waiting for a replay (last sample)', labelNames: ['sink'] as const, registers }),
    collect() {
      perSink(this, (sink) => view.sampled(sink)?.deadLetters);
    },
  });
  new Gauge({
    ...named({
      name: 'crm_bridge_delivery_stuck_seconds',
      help: 'Seconds a sink delivery has settled no message while messages wait (0 when none wait or another instance delivers)',
      labelNames: ['sink'] as const,
      registers,
    }),
    collect() {
      perSink(this, (sink) => view.stuckSeconds(sink));
    },
  });
  new Gauge({
    ...named({ name: 'crm_bridge_sample_age_seconds', help: 'Age of the last answered sample of outbox depth, lag and dead letters', registers }),
    collect() {
      this.set(view.sampleAgeSeconds());
    },
  });

  return {
    ...metrics,
    unregister: () => names.forEach((name) => registry.removeSingleMetric(name)),
  };
}
