/**
 * Connects the service to its Asterisk: the one in ARI_URL, or, when none is configured,
 * the built-in simulator with simulated callers (src/demo/), so a newcomer sees calls flow.
 * The simulator is loaded only then: a production image does not ship it.
 */
import type { Logger } from 'pino';
import { startHotlineService, type HotlineService } from './service.js';
import { AriClientAdapter, type createAriPort } from '../ari/index.js';
import type { Env } from '../config/env.js';
import type { HotlineConfig } from './config-schema.js';

export interface RunningService {
  service: HotlineService;
  /** Present when running against the built-in simulator. */
  simulatorUrl?: string;
  shutdown(graceMs: number): Promise<void>;
}

export interface StartOptions {
  env: Env;
  config: HotlineConfig;
  log: Logger;
  crmSecrets?: Record<string, string>;
}

export async function startWithAri(options: StartOptions): Promise<RunningService> {
  const { env, config, log, crmSecrets } = options;
  if (!env.ARI_URL || !env.ARI_PASSWORD) {
    const { startDemo } = await import('../../demo/start-demo.js');
    return startDemo(options);
  }
  // The HTTP side comes up at once, Asterisk or not: /healthz answers and /readyz tells
  // whether ARI is connected. The port keeps trying until it is, and the registry takes
  // the calls already in the app when it connects.
  const ari = new AriClientAdapter(ariOptions(env, env.ARI_URL, env.ARI_PASSWORD, log));
  ari.connect().catch(() => {
    // Rejects only when closed before ever connecting (shutdown): nothing to do.
  });
  const service = await startHotlineService({ env, config, ari, log, crmSecrets, apiTokens: env.API_TOKENS });
  return { service, shutdown: (graceMs) => service.shutdown(graceMs) };
}

export function ariOptions(env: Env, url: string, password: string, log: Logger): Parameters<typeof createAriPort>[0] {
  return {
    url,
    username: env.ARI_USERNAME,
    password,
    app: env.ARI_APP,
    requestTimeoutMs: env.ARI_REQUEST_TIMEOUT_MS,
    reconnectMaxDelayMs: env.ARI_RECONNECT_MAX_DELAY_MS,
    log: log.child({ part: 'ari' }),
  };
}
