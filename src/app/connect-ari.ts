/**
 * Connects the service to the Asterisk in ARI_URL. HTTP comes up at once, Asterisk or not:
 * /healthz answers and /readyz tells whether ARI is connected. The port keeps trying until
 * it is, and the registry takes the calls already in the app when it connects.
 */
import type { Logger } from 'pino';
import { AriClientAdapter, type AriAdapterOptions } from '../ari/index.js';
import type { Env } from '../config/env.js';

export function ariOptions(env: Env, url: string, password: string, log: Logger): AriAdapterOptions {
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

/**
 * An ARI port connecting in the background to `url`; with the app lease on (ARI_APP_LEASE_MS)
 * it waits instead, and connects when the lease says so (wire-app-lease.ts).
 */
export function connectAsterisk(env: Env, url: string, password: string, log: Logger): AriClientAdapter {
  const leased = env.ARI_APP_LEASE_MS > 0;
  // With the lease, the lease decides when to take the app back after a takeover, not Asterisk's "free".
  const ari = new AriClientAdapter({ ...ariOptions(env, url, password, log), ...(leased ? { takeBackWhenFree: false } : {}) });
  if (leased) return ari;
  ari.connect().catch(() => {
    // Rejects only when closed before ever connecting (shutdown): nothing to do.
  });
  return ari;
}
