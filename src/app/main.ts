/**
 * The production entry: the hotline service driving the Asterisk in ARI_URL.
 * (`npm run demo` runs the same service against the built-in simulator: demo/main.ts.)
 * Exit codes: 0 after a clean shutdown, 2 for bad configuration, 1 for anything else.
 */
import { ConfigError } from '../config/config-error.js';
import type { Env } from '../config/env.js';
import { connectAsterisk } from './connect-ari.js';
import { exitOnConfigError } from './exit-on-config-error.js';
import { prepare } from './prepare.js';
import { runUntilSignalled } from './run-until-signalled.js';
import { startHotlineService } from './service.js';
import { wireAppLease } from './wire-app-lease.js';

const { env, config, log, crmSecrets, smsSecrets } = await prepare({ checkEnv: requireAsterisk }).catch(exitOnConfigError);
const ari = connectAsterisk(env, env.ARI_URL!, env.ARI_PASSWORD!, log);
// Instances with the same ARI_APP take turns on it through a lease in Redis (0: no lease).
const lease = env.ARI_APP_LEASE_MS > 0 ? wireAppLease(env, ari, { url: env.ARI_URL!, password: env.ARI_PASSWORD! }, log) : undefined;
const service = await startHotlineService({ env, config, ari, log, crmSecrets, smsSecrets, apiTokens: env.API_TOKENS, appHeld: lease?.held }).catch(exitOnConfigError);
lease?.start(service);
runUntilSignalled(lease ?? service, env.SHUTDOWN_GRACE_SECONDS * 1000, log);

function requireAsterisk(env: Env): void {
  if (env.ARI_URL && env.ARI_PASSWORD) return;
  throw new ConfigError('environment', [
    { path: 'env.ARI_URL', reason: "required: the URL of Asterisk's HTTP server (e.g. http://asterisk:8088); `npm run demo` runs against the built-in simulator instead" },
  ]);
}
