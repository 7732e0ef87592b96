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

/** The example config's sinks and look-ups point at localhost: they follow the demo backend's port. */
export function pointSinksAt(config: CrmBridgeConfig, port: number): void {
  const local = (url: string): string => {
    const u = new URL(url);
    if (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost') return url;
    u.port = String(port);
    return u.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
  };
  for (const sink of config.sinks) sink.url = local(sink.url);
  if (config.lookup) config.lookup.baseUrl = local(config.lookup.baseUrl);
}
