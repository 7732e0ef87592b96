/**
 * What every entry does before the service starts: read the environment and the hotline
 * config, make the logger, gather the secrets the config names. Any fault here is a
 * ConfigError: the entry prints it and exits with code 2.
 */
import type { Logger } from 'pino';
import { parseEnv, type Env } from '../config/env.js';
import { readCrmSecrets } from '../crm-bridge/index.js';
import { readSmsSecrets } from '../sms/index.js';
import { createLogger } from '../log/logger.js';
import type { HotlineConfig } from './config-schema.js';
import { loadHotlineConfig } from './load-config.js';

export interface Prepared {
  env: Env;
  config: HotlineConfig;
  log: Logger;
  crmSecrets?: Record<string, string>;
  smsSecrets?: Record<string, string>;
}

export interface PrepareOptions {
  source?: NodeJS.ProcessEnv;
  /** A logger of the entry's choosing (the demo's is readable on a terminal). */
  makeLogger?: (level: string) => Logger;
  /** Runs on the environment before anything else is read (production insists on ARI_URL). */
  checkEnv?: (env: Env) => void;
  /** Runs on the parsed config before the secrets are read (the demo fills its own). */
  adjust?: (config: HotlineConfig, env: Env) => void;
}

export async function prepare(options: PrepareOptions = {}): Promise<Prepared> {
  const source = options.source ?? process.env;
  const env = parseEnv(source);
  options.checkEnv?.(env);
  const log = (options.makeLogger ?? createLogger)(env.LOG_LEVEL);
  const config = await loadHotlineConfig(env.HOTLINE_CONFIG);
  options.adjust?.(config, env);
  const crmSecrets = config.crmBridge ? readCrmSecrets(config.crmBridge, source) : undefined;
  const smsSecrets = config.sms ? readSmsSecrets(config.sms, source) : undefined;
  return { env, config, log, crmSecrets, smsSecrets };
}
