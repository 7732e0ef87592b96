/**
 * The demo has no real ticket backend: it runs the reference one in-process, and both
 * sides need the secrets the crmBridge section names. Missing ones get a fresh random
 * value per run (never a fixed one: the demo listens on real ports).
 */
import { randomBytes } from 'node:crypto';
import { secretEnvNames, type CrmBridgeConfig } from '../src/crm-bridge/config-schema.js';

export function fillDemoSecrets(config: CrmBridgeConfig, env: NodeJS.ProcessEnv = process.env): void {
  for (const name of secretEnvNames(config)) env[name] ||= randomBytes(16).toString('hex');
}
