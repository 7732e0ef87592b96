/**
 * The service against the built-in ARI simulator, with simulated callers and one summary
 * line per call: what `npm run demo` (and `npm start` without ARI_URL) runs.
 */
import { randomBytes } from 'node:crypto';
import { startAriSimulator } from '../sim/index.js';
import { startHotlineService } from '../src/app/service.js';
import { createAriPort } from '../src/ari/index.js';
import { ariOptions, type RunningService, type StartOptions } from '../src/app/connect-ari.js';
import { startCallGenerator } from './call-generator.js';
import { logCallSummaries } from './call-summaries.js';
import { startDemoTicketBackend } from './demo-ticket-backend.js';

export async function startDemo({ env, config, log, crmSecrets }: StartOptions): Promise<RunningService> {
  log.warn({ port: env.SIM_PORT }, 'ARI_URL is not set: running against the built-in ARI simulator with simulated calls');
  // A fresh password per run: the simulator listens on a real port.
  const password = randomBytes(12).toString('hex');
  const simulator = await startAriSimulator({ port: env.SIM_PORT, username: env.ARI_USERNAME, password, recordingsDir: 'var/recordings' });
  const ari = await createAriPort(ariOptions(env, simulator.url, password, log));
  const ticketBackend = config.crmBridge && crmSecrets ? await startDemoTicketBackend(config.crmBridge, crmSecrets, log) : undefined;
  // Without API_TOKENS the operator APIs would refuse everyone: the demo makes one admin token.
  const apiTokens = env.API_TOKENS.length > 0 ? env.API_TOKENS : [{ name: 'demo', role: 'admin' as const, token: randomBytes(18).toString('base64url') }];
  const service = await startHotlineService({ env, config, ari, log, crmSecrets, apiTokens });
  if (env.API_TOKENS.length === 0) {
    log.info({ try: `curl -H 'Authorization: Bearer ${apiTokens[0]!.token}' ${service.url}/priority-callers` }, 'demo operator token (admin), valid for this run');
  }
  const stopSummaries = logCallSummaries(service.bus, log.child({ part: 'demo' }));
  const generator = startCallGenerator({
    simulator,
    config,
    app: env.ARI_APP,
    callsPerMinute: 20,
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
      await ticketBackend?.close();
    },
  };
}
