/**
 * The `crmBridge` section of the hotline config file: where call metadata goes, who may
 * send ticket events in, and where the look-ups ask. Secrets are never in the file: each
 * one is named by the environment variable that holds it and read at start.
 */
import { z } from 'zod';

const SinkName = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and -');
const EnvName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an environment variable name (A-Z, 0-9, _)');
const HttpUrl = z.url({ protocol: /^https?$/ });

export const RetrySchema = z.object({
  /** Delivery attempts before a message goes to the dead-letter list. */
  attempts: z.number().int().min(1).max(100).default(12),
  /** First backoff; it doubles per attempt (with jitter) up to `maxBackoffMs`. */
  backoffMs: z.number().int().min(1).default(1000),
  maxBackoffMs: z.number().int().min(1).default(300_000),
});

export const SinkSchema = z.object({
  name: SinkName,
  /** Messages are POSTed to this URL. */
  url: HttpUrl,
  secretEnv: EnvName,
  /** One request may take this long before it counts as a failed attempt. */
  timeoutMs: z.number().int().positive().default(5000),
  /** Calls delivered at the same time; one call's messages always go one after the other. */
  concurrency: z.number().int().min(1).max(512).default(32),
  /**
   * Requests in flight on one keep-alive connection (HTTP/1.1 pipelining; answers come back
   * in order). 1 sends one at a time per connection, for a backend or proxy that mishandles
   * pipelining. Never two of one call: a call's next message waits for the previous answer.
   */
  pipelining: z.number().int().min(1).max(64).default(8),
  /** Domain event types this sink receives; all when absent. */
  events: z.array(z.string().regex(/^[a-z]+\.[a-z-]+$/, 'an event type such as call.started')).min(1).optional(),
  retry: RetrySchema.prefault({}),
});
export type SinkConfig = z.infer<typeof SinkSchema>;

export const InboundSchema = z.object({
  secretEnv: EnvName,
  /** Requests signed longer ago than this are refused (replay protection). */
  maxSkewSeconds: z.number().int().min(1).max(3600).default(300),
  /** A handler that keeps failing on one ticket event gives up after this many runs (dead letter). */
  handlerAttempts: z.number().int().min(1).default(5),
  /** A ticket event left unacknowledged by a crashed instance is taken over after this long. */
  claimIdleMs: z.number().int().min(100).default(30_000),
});

export const CircuitBreakerSchema = z.object({
  /** Consecutive failures (timeouts, 5xx, network) that open the circuit. */
  failureThreshold: z.number().int().min(1).default(5),
  /** How long an open circuit refuses at once before one trial request. */
  openMs: z.number().int().min(1).default(15_000),
});

export const LookupSchema = z.object({
  baseUrl: HttpUrl,
  secretEnv: EnvName,
  /** A look-up answers within this or fails: a caller on the line never waits longer. */
  timeoutMs: z.number().int().positive().default(800),
  circuitBreaker: CircuitBreakerSchema.prefault({}),
});

export const CrmBridgeConfigSchema = z
  .object({
    sinks: z.array(SinkSchema).min(1),
    inbound: InboundSchema.optional(),
    lookup: LookupSchema.optional(),
    /** One instance delivers to a sink at a time (that keeps per-call order); a crashed holder's lease lapses after this. */
    leaseMs: z.number().int().min(500).default(15_000),
    /** Messages read ahead from a sink's outbox and held in memory at most. */
    readAhead: z.number().int().min(1).max(100_000).default(2000),
    /**
     * Events held in memory at most while Redis does not take them (and stored events kept
     * until a deliverer reads them, which give way first). When full, new calls' events and
     * progress details are refused; accepted events are never dropped (see buffer-admission.ts).
     */
    maxBufferedEvents: z.number().int().min(100).max(10_000_000).default(50_000),
    /** How often outbox depth, lag and dead letters are sampled from Redis for /metrics (scrapes never wait on Redis). */
    sampleEveryMs: z.number().int().min(100).max(60_000).default(5000),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.sinks.forEach((sink, i) => {
      if (seen.has(sink.name)) ctx.addIssue({ code: 'custom', path: ['sinks', i, 'name'], message: `sink "${sink.name}" is listed twice` });
      seen.add(sink.name);
      if (sink.retry.maxBackoffMs < sink.retry.backoffMs) {
        ctx.addIssue({ code: 'custom', path: ['sinks', i, 'retry', 'maxBackoffMs'], message: 'must not be below backoffMs' });
      }
    });
  });

export type CrmBridgeConfig = z.infer<typeof CrmBridgeConfigSchema>;
/** What the factory accepts: the parsed section, or the input shape with defaults still to fill. */
export type CrmBridgeConfigInput = z.input<typeof CrmBridgeConfigSchema>;

/** Every environment variable the section names, so the wiring can read them at start. */
export function secretEnvNames(config: CrmBridgeConfig): string[] {
  const names = config.sinks.map((s) => s.secretEnv);
  if (config.inbound) names.push(config.inbound.secretEnv);
  if (config.lookup) names.push(config.lookup.secretEnv);
  return [...new Set(names)];
}
