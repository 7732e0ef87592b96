/**
 * Wires the calls: the registry on the ARI port with the flow each call runs, its live-call
 * store in Redis (best effort: a call never waits on it), and the call metrics.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AriPort } from '../ari/index.js';
import { CallRegistry, LiveCallStore, PromptCatalog, registerCallMetrics, welcomeFlow, type CallFlowFactory, type DomainEventBus } from '../calls/index.js';
import type { HotlineConfig } from './config-schema.js';

export function wireCalls(deps: {
  config: HotlineConfig;
  ari: AriPort;
  bus: DomainEventBus;
  redis: Redis;
  keys: (...parts: string[]) => string;
  log: Logger;
  metrics: Registry;
  flows?: CallFlowFactory;
}): { calls: CallRegistry; stopMetrics: () => void } {
  const { config } = deps;
  const calls = new CallRegistry({
    ari: deps.ari,
    bus: deps.bus,
    log: deps.log.child({ part: 'calls' }),
    config,
    prompts: new PromptCatalog(config.prompts),
    flows: deps.flows ?? (() => welcomeFlow(config.calls.welcomePrompt)),
    store: new LiveCallStore(deps.redis, deps.keys, deps.log.child({ part: 'live-calls' }), { endedTtlSeconds: config.calls.endedRecordTtlSeconds }),
  });
  const stopMetrics = registerCallMetrics(deps.bus, deps.metrics, () => calls.size);
  return { calls, stopMetrics };
}
