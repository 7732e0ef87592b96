/**
 * The ticket backend bridge, public face.
 *
 *   domain events ─► OutboxWriter ─► Redis stream per sink ─► SinkDelivery ─► signed POST per sink
 *   ticket webhook ─► InboundReceiver ─► Redis inbound stream ─► InboundDispatcher ─► TicketEventHub
 *   screen pop / IVR ─► ticketClient (timeout + circuit breaker) ─► ticket backend look-ups
 *
 * The bridge subscribes to the bus as soon as it is created, so nothing published between
 * wiring and `start()` is missed (it is stored, and delivered once started).
 *
 * Redis may be away, at start or later: `start()` waits on nothing (the loops make their
 * consumer groups themselves, with retries, and make them again when Redis restarts empty);
 * accepted events wait in a bounded buffer; /metrics serves the last background sample;
 * `readiness()` says from memory why delivery cannot go on.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DomainEvent } from '../calls/index.js';
import { ConfigError } from '../config/config-error.js';
import { createBlockingRedis, createRedis } from '../redis/connection.js';
import { withTimeout } from '../shared/with-timeout.js';
import { CrmBridgeConfigSchema, secretEnvNames, type CrmBridgeConfig, type CrmBridgeConfigInput } from './config-schema.js';
import { DeadLetterList, type ReplayResult } from './dead-letters.js';
import { CRM_BRIDGE_ERRORS, CrmBridgeError } from './errors.js';
import { HttpTicketClient } from './http-ticket-client.js';
import { InboundDispatcher } from './inbound-dispatcher.js';
import { InboundReceiver } from './inbound-receiver.js';
import { crmKeys } from './keys.js';
import type { OutboundEvent } from './message-schema.js';
import { createCrmBridgeMetrics } from './metrics.js';
import { OutboxWriter } from './outbox.js';
import { OutboxSampler } from './outbox-sampler.js';
import { installScripts } from './redis-scripts.js';
import { SinkDelivery, type SinkDeliveryStats } from './sink-delivery.js';
import { LONGEST_BLOCK_MS } from './stream-group.js';
import { streamIdMillis } from './stream-ids.js';
import { TicketEventHub, type TicketEventHandler } from './ticket-event-hub.js';
import type { TicketBackendClient } from './ports/ticket-backend.js';

export interface CrmBridgeOptions {
  /** The `crmBridge` section of the hotline config (parsed, or raw: defaults are filled here). */
  config: CrmBridgeConfig | CrmBridgeConfigInput;
  redisUrl: string;
  keyPrefix: string;
  bus: { onAny(handler: (event: DomainEvent) => void): () => void };
  log: Logger;
  /** Environment variable name → secret, for every `secretEnv` the section names (see `readCrmSecrets`). */
  secrets: Record<string, string | undefined>;
  /** Shortcut for `bridge.ticketEvents.onAny(handler)`. */
  onTicketEvent?: TicketEventHandler;
  /** Where the metrics go; prom-client's global registry when absent. */
  registry?: Registry;
  /** Names this instance in leases and consumer groups; unique per process by default. */
  instanceId?: string;
  /** How long `stop()` waits for accepted events to reach Redis. */
  drainTimeoutMs?: number;
}

/** `stats()` gives up on Redis after this long (the admin API answers 503). */
export const STATS_TIMEOUT_MS = 2000;
/** Failed stores in a row that make the bridge not ready. */
const STORE_FAILURES_NOT_READY = 3;

export interface CrmBridgeStats {
  /** Accepted events not yet stored in Redis. */
  buffered: number;
  /** Stored events no deliverer has read yet, kept in memory in case Redis loses them. */
  unreadKept: number;
  sinks: Array<SinkDeliveryStats & { depth: number; lagSeconds: number; deadLetters: number; stuckSeconds: number }>;
  inboundHandled: number;
  lookupCircuit: string | null;
}

export interface CrmBridge {
  readonly config: CrmBridgeConfig;
  /** Starts delivering and sampling; resolves at once, whether or not Redis answers. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Figures from Redis and memory; rejects (TimeoutError) when Redis does not answer within STATS_TIMEOUT_MS. */
  stats(): Promise<CrmBridgeStats>;
  /** Whether delivery can go on, and why not; answered from memory at once, never waiting on Redis. */
  readiness(): { ok: boolean; reason?: string };
  readonly deadLetters: DeadLetterList;
  /** Replays one dead letter (and the rest of its call's chain) of a sink, or all of a sink's, or all. */
  replay(target: { sink?: string; id?: string }): Promise<ReplayResult[]>;
  /** Look-ups for the screen pop and the IVR's ticket status (rejects when `lookup` is not configured). */
  readonly ticketClient: TicketBackendClient;
  /** Ticket events in: subscribe here (acceptance SMS, satisfaction callback). */
  readonly ticketEvents: TicketEventHub;
  /** The webhook door; null when `inbound` is not configured. */
  readonly inbound: InboundReceiver | null;
  /** For events of later features that are not domain events (survey results, SMS receipts); false when refused (outbox full). */
  publish(event: OutboundEvent): boolean;
}

/** Reads every secret the section names from the environment; a missing one stops the start. */
export function readCrmSecrets(config: CrmBridgeConfig, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const missing = secretEnvNames(config).filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new ConfigError('environment', missing.map((name) => ({ path: `env.${name}`, reason: 'required by crmBridge (a secret named by secretEnv)' })));
  }
  return Object.fromEntries(secretEnvNames(config).map((name) => [name, env[name]!]));
}

export function createCrmBridge(options: CrmBridgeOptions): CrmBridge {
  const config = CrmBridgeConfigSchema.parse(options.config);
  const secret = (name: string): string => {
    const value = options.secrets[name];
    if (!value) throw new CrmBridgeError(CRM_BRIDGE_ERRORS.missingSecret, `secret ${name} (named by crmBridge secretEnv) is not set`);
    return value;
  };
  const log = options.log.child({ part: 'crm-bridge' });
  const owner = options.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const keys = crmKeys(options.keyPrefix);
  const settings = { url: options.redisUrl, keyPrefix: options.keyPrefix, log };
  const redis = installScripts(createRedis({ ...settings, name: 'crm-bridge' }, { enableAutoPipelining: true }));
  const reader = (name: string) => createBlockingRedis({ ...settings, name }, LONGEST_BLOCK_MS, { lazyConnect: true });
  const sinkNames = config.sinks.map((s) => s.name);

  // The collectors run at scrape time and read memory only (see OutboxView).
  const metrics = createCrmBridgeMetrics(
    {
      sinks: () => sinkNames,
      sampled: (sink) => sampler.sampled(sink),
      sampleAgeSeconds: () => sampler.ageSeconds(),
      stuckSeconds: (sink) => deliveries.find((d) => d.sinkName === sink)?.stuckSeconds(sampler.sampled(sink)?.depth) ?? 0,
    },
    options.registry,
  );

  const outbox = new OutboxWriter({ redis, keys, sinks: config.sinks, metrics, log, owner, maxBufferedEvents: config.maxBufferedEvents });
  const sampler = new OutboxSampler({ redis, keys, sinks: sinkNames, writer: outbox, everyMs: config.sampleEveryMs, log });
  const deliveries = config.sinks.map(
    (sink) =>
      new SinkDelivery({
        redis,
        reader: reader(`crm-bridge-reader-${sink.name}`),
        sink,
        secret: secret(sink.secretEnv),
        keys,
        metrics,
        log,
        owner,
        leaseMs: config.leaseMs,
        readAhead: config.readAhead,
        onRead: (eventId) => outbox.read(sink.name, eventId),
        onGroupLost: () => outbox.suspectLoss(),
      }),
  );
  const deadLetters = new DeadLetterList(redis, keys, sinkNames, metrics);
  const ticketEvents = new TicketEventHub();
  if (options.onTicketEvent) ticketEvents.onAny(options.onTicketEvent);
  const inbound = config.inbound
    ? new InboundReceiver(redis, keys, secret(config.inbound.secretEnv), config.inbound.maxSkewSeconds, metrics, log)
    : null;
  const dispatcher = config.inbound
    ? new InboundDispatcher({
        redis,
        reader: reader('crm-bridge-inbound-reader'),
        keys,
        hub: ticketEvents,
        metrics,
        log,
        consumer: owner,
        handlerAttempts: config.inbound.handlerAttempts,
        claimIdleMs: config.inbound.claimIdleMs,
      })
    : null;
  const httpClient = config.lookup
    ? new HttpTicketClient({ ...config.lookup, secret: secret(config.lookup.secretEnv), metrics })
    : null;

  const unsubscribe = options.bus.onAny((event) => void outbox.accept(event));
  let started = false;
  let stopped: Promise<void> | null = null;

  async function stopAll(): Promise<void> {
    unsubscribe();
    const left = await outbox.drain(options.drainTimeoutMs ?? 5000);
    if (left > 0) log.error({ left }, 'TICKET EVENTS NOT STORED at stop: Redis did not take them in time');
    outbox.close();
    sampler.stop();
    await Promise.all(deliveries.map((d) => d.stop()));
    await dispatcher?.stop();
    redis.disconnect();
    metrics.unregister();
    log.info('ticket bridge stopped');
  }

  async function sinkStats(d: SinkDelivery): Promise<CrmBridgeStats['sinks'][number]> {
    const s = d.stats();
    const [depth, dead, oldest] = await Promise.all([
      redis.xlen(keys.outbox(s.sink)),
      redis.xlen(keys.deadLetters(s.sink)),
      redis.xrange(keys.outbox(s.sink), '-', '+', 'COUNT', 1) as Promise<Array<[string, string[]]>>,
    ]);
    const lagSeconds = oldest[0] ? Math.max(0, (Date.now() - streamIdMillis(oldest[0][0])) / 1000) : 0;
    return { ...s, depth, deadLetters: dead, lagSeconds, stuckSeconds: d.stuckSeconds(depth) };
  }

  return {
    config,
    deadLetters,
    ticketEvents,
    inbound,
    ticketClient: httpClient ?? unconfiguredClient(),
    publish: (event) => outbox.accept(event),

    async start() {
      if (started) return;
      started = true;
      sampler.start();
      deliveries.forEach((d) => d.start());
      dispatcher?.start();
      log.info({ sinks: sinkNames, inbound: Boolean(inbound), lookup: Boolean(httpClient), instance: owner }, 'ticket bridge started');
    },

    stop() {
      stopped ??= stopAll();
      return stopped;
    },

    readiness() {
      if (stopped) return { ok: false, reason: 'ticket bridge stopped' };
      if (!started) return { ok: false, reason: 'ticket bridge not started' };
      const storing = outbox.failing;
      const reasons = [
        sampler.unreadiness(),
        storing && storing.streak >= STORE_FAILURES_NOT_READY ? `ticket events cannot be stored in Redis (${storing.streak} failures in a row: ${storing.error}); ${outbox.buffered} wait in memory` : null,
        ...deliveries.map((d) => d.unreadiness()),
        dispatcher?.unreadiness() ?? null,
      ].filter((r): r is string => r !== null);
      return reasons.length > 0 ? { ok: false, reason: reasons.join('; ') } : { ok: true };
    },

    async stats() {
      const sinks = await withTimeout(Promise.all(deliveries.map(sinkStats)), STATS_TIMEOUT_MS, 'ticket bridge figures from Redis');
      return {
        buffered: outbox.buffered,
        unreadKept: outbox.unreadKept,
        sinks,
        inboundHandled: dispatcher?.handledCount ?? 0,
        lookupCircuit: httpClient?.breaker.state ?? null,
      };
    },

    async replay(target) {
      if (target.id) {
        if (!target.sink) throw new CrmBridgeError(CRM_BRIDGE_ERRORS.noSuchSink, 'replaying one dead letter needs its sink');
        return [await deadLetters.replay(target.sink, target.id)];
      }
      return deadLetters.replayAll(target.sink);
    },
  };
}

function unconfiguredClient(): TicketBackendClient {
  const fail = async (): Promise<never> => {
    throw new CrmBridgeError(CRM_BRIDGE_ERRORS.lookupNotConfigured, 'crmBridge.lookup is not configured');
  };
  return { statusOf: fail, openTicketsOf: fail, repeatCallerCount: fail };
}

export { CrmBridgeConfigSchema, type CrmBridgeConfig } from './config-schema.js';
export { CRM_BRIDGE_ERRORS, CrmBridgeError, CircuitOpenError, LookupTimeoutError } from './errors.js';
export { InboundRejection, type InboundReceipt, type InboundReceiver } from './inbound-receiver.js';
export type { TicketEvent, TicketEventType } from './inbound-events.js';
export type { TicketEventHandler, TicketEventHub } from './ticket-event-hub.js';
export type { DeadLetter, DeadLetterList, ReplayResult } from './dead-letters.js';
export type { TicketBackendClient, TicketStatus, TicketStatusLookup, OpenTicket } from './ports/ticket-backend.js';
export { MemoryTicketClient } from './memory-ticket-client.js';
export { CALL_EVENT_SCHEMA_V1, type CallEventMessage, type OutboundEvent } from './message-schema.js';
export { TICKET_EVENT_SCHEMA_V1 } from './inbound-events.js';
export { signedHeaders, verifySignature } from './signing.js';
