/**
 * Connects the service to its Asterisk: the one in ARI_URL, or, when none is configured,
 * the built-in simulator with a generator of simulated calls, so a newcomer sees calls flow.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { startAriSimulator } from '../sim/index.js';
import { startHotlineService, type HotlineService } from './app.js';
import { createAriPort } from './ari/index.js';
import type { Env } from './config/env.js';
import type { HotlineConfig } from './config/hotline-schema.js';
import { startCallGenerator } from './demo/call-generator.js';
import { logCallSummaries } from './demo/call-summaries.js';

export interface RunningService {
  service: HotlineService;
  /** Present when running against the built-in simulator. */
  simulatorUrl?: string;
  shutdown(graceMs: number): Promise<void>;
}

export async function startWithAri(options: { env: Env; config: HotlineConfig; log: Logger; callsPerMinute?: number }): Promise<RunningService> {
  const { env, config, log } = options;
  if (env.ARI_URL && env.ARI_PASSWORD) {
    const ari = await createAriPort({
      url: env.ARI_URL,
      username: env.ARI_USERNAME,
      password: env.ARI_PASSWORD,
      app: env.ARI_APP,
      requestTimeoutMs: env.ARI_REQUEST_TIMEOUT_MS,
      reconnectMaxDelayMs: env.ARI_RECONNECT_MAX_DELAY_MS,
      log: log.child({ part: 'ari' }),
    });
    const service = await startHotlineService({ env, config, ari, log });
    return { service, shutdown: (graceMs) => service.shutdown(graceMs) };
  }

  log.warn({ port: env.SIM_PORT }, 'ARI_URL is not set: running against the built-in ARI simulator with simulated calls');
  // A fresh password per run: the simulator listens on a real port.
  const password = randomBytes(12).toString('hex');
  const simulator = await startAriSimulator({
    port: env.SIM_PORT,
    username: env.ARI_USERNAME,
    password,
    recordingsDir: 'var/recordings',
  });
  const ari = await createAriPort({
    url: simulator.url,
    username: env.ARI_USERNAME,
    password,
    app: env.ARI_APP,
    requestTimeoutMs: env.ARI_REQUEST_TIMEOUT_MS,
    reconnectMaxDelayMs: env.ARI_RECONNECT_MAX_DELAY_MS,
    log: log.child({ part: 'ari' }),
  });
  const service = await startHotlineService({ env, config, ari, log });
  const stopSummaries = logCallSummaries(service.bus, log.child({ part: 'demo' }));
  const generator = startCallGenerator({
    simulator,
    config,
    app: env.ARI_APP,
    callsPerMinute: options.callsPerMinute ?? 20,
    log: log.child({ part: 'call-generator' }),
  });
  return {
    service,
    simulatorUrl: simulator.url,
    async shutdown(graceMs) {
      generator.stop();
      await service.shutdown(graceMs);
      stopSummaries();
      await simulator.close();
    },
  };
}
