/**
 * Starts the hotline service. With ARI_URL set it drives that Asterisk; without it, it
 * starts the built-in ARI simulator first, so the service runs on any machine.
 * Exit codes: 0 after a clean shutdown, 2 for bad configuration, 1 for anything else.
 */
import { ConfigError } from '../config/config-error.js';
import { parseEnv, type Env } from '../config/env.js';
import { loadHotlineConfig } from './load-config.js';
import { readCrmSecrets } from '../crm-bridge/index.js';
import { fillDemoSecrets } from '../../demo/demo-secrets.js';
import { createLogger } from '../log/logger.js';
import { startWithAri } from './connect-ari.js';

async function main(): Promise<void> {
  let env: Env;
  try {
    env = parseEnv();
  } catch (err) {
    return fail(err);
  }
  const log = createLogger(env.LOG_LEVEL);
  const config = await loadHotlineConfig(env.HOTLINE_CONFIG).catch((err: unknown) => fail(err));
  if (!config) return;
  // Without an Asterisk the demo runs, with the reference ticket backend in-process.
  if (!env.ARI_URL && config.crmBridge) fillDemoSecrets(config.crmBridge);
  let crmSecrets: Record<string, string> | undefined;
  try {
    crmSecrets = config.crmBridge ? readCrmSecrets(config.crmBridge) : undefined;
  } catch (err) {
    return fail(err);
  }

  const running = await startWithAri({ env, config, log, crmSecrets });
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    // Ctrl-C reaches the process twice (from the terminal and relayed by tsx): only a
    // signal sent again later means "stop waiting for live calls".
    if (firstSignalAt > 0) {
      if (Date.now() - firstSignalAt < 1000) return;
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    firstSignalAt = Date.now();
    void running.shutdown(env.SHUTDOWN_GRACE_SECONDS * 1000).then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

function fail(err: unknown): undefined {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 2;
    return undefined;
  }
  throw err;
}

await main();
