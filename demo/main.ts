/**
 * `npm run demo`: the hotline service against the built-in ARI simulator, with the reference
 * ticket backend, simulated citizens calling and simulated agents answering them in the ACD, so
 * a newcomer sees calls flow on any machine.
 * It runs the same service as production (src/app/service.ts); only the PBX and the ticket
 * backend are stand-ins. Stop it with Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { startAriSimulator } from '../sim/index.js';
import { createAriPort } from '../src/ari/index.js';
import { ariOptions } from '../src/app/connect-ari.js';
import { exitOnConfigError } from '../src/app/exit-on-config-error.js';
import { prepare } from '../src/app/prepare.js';
import { runUntilSignalled } from '../src/app/run-until-signalled.js';
import { startHotlineService } from '../src/app/service.js';
import { exitIfPortBusy } from './busy-port.js';
import { startCallGenerator } from './call-generator.js';
import { logCallSummaries } from './call-summaries.js';
import { startDemoAgents } from './demo-agents.js';
import { parseDemoEnv } from './demo-env.js';
import { demoLogger } from './demo-logger.js';
import { demoOperatorToken } from './demo-operator-token.js';
import { fillDemoSecrets, pointSinksAt } from './demo-secrets.js';
import { startDemoTicketBackend } from './demo-ticket-backend.js';

const demo = (() => {
  try {
    return parseDemoEnv();
  } catch (err) {
    return exitOnConfigError(err);
  }
})();
const { env, config, log, crmSecrets } = await prepare({
  makeLogger: demoLogger,
  adjust: (cfg) => {
    // The recordings' number lookup key: a fresh one per run when none is set.
    if (cfg.recording) process.env[cfg.recording.access.numberKeyEnv] ||= randomBytes(32).toString('hex');
    if (!cfg.crmBridge) return;
    fillDemoSecrets(cfg.crmBridge);
    pointSinksAt(cfg.crmBridge, demo.ticketBackendPort);
  },
}).catch(exitOnConfigError);

const simulator = await startAriSimulator({ port: demo.simPort, username: env.ARI_USERNAME, password: demo.ariPassword, recordingsDir: 'var/asterisk-recordings', sipSecret: env.AGENT_SIP_SECRET }).catch(
  (err: unknown) => exitIfPortBusy(err, 'the ARI simulator', demo.simPort, 'SIM_PORT'),
);
const ticketBackend =
  config.crmBridge && crmSecrets
    ? await startDemoTicketBackend(config.crmBridge, crmSecrets, log).catch((err: unknown) =>
        exitIfPortBusy(err, 'the reference ticket backend', demo.ticketBackendPort, 'DEMO_TICKET_BACKEND_PORT'),
      )
    : undefined;
const ari = await createAriPort(ariOptions(env, simulator.url, demo.ariPassword, log));
const apiTokens = env.API_TOKENS.length > 0 ? env.API_TOKENS : [demoOperatorToken()];
const service = await startHotlineService({ env, config, ari, log, crmSecrets, apiTokens }).catch((err: unknown) =>
  exitIfPortBusy(err, 'the service', env.HTTP_PORT, 'HTTP_PORT'),
);

log.info(
  {
    serviceUrl: service.url,
    simulator: simulator.url,
    simulatorLogin: `${env.ARI_USERNAME}:${demo.ariPassword}`,
    try: `curl -u '${env.ARI_USERNAME}:${demo.ariPassword}' ${simulator.url}/sim/channels`,
  },
  'demo: the service runs against the built-in ARI simulator (set ARI_PASSWORD to choose its password)',
);
if (env.API_TOKENS.length === 0) {
  log.info({ try: `curl -H 'Authorization: Bearer ${apiTokens[0]!.token}' ${service.url}/priority-callers` }, 'demo operator token (admin), valid for this run');
}

const stopSummaries = logCallSummaries(service.bus, log.child({ part: 'demo' }));
const agents =
  service.acd && demo.agents > 0
    ? startDemoAgents({
        simulator,
        desk: service.acd.desk,
        bus: service.bus,
        count: demo.agents,
        habits: { talkMs: [demo.agentTalkSeconds[0] * 1000, demo.agentTalkSeconds[1] * 1000] },
        log: log.child({ part: 'demo-agents' }),
      })
    : undefined;
// DEMO_CALLS_PER_MINUTE=0: no simulated citizens (calls come only through /sim/calls).
const generator =
  demo.callsPerMinute > 0
    ? startCallGenerator({ simulator, config, app: env.ARI_APP, callsPerMinute: demo.callsPerMinute, log: log.child({ part: 'call-generator' }) })
    : undefined;
runUntilSignalled(
  {
    async shutdown(graceMs) {
      generator?.stop();
      await agents?.stop();
      await service.shutdown(graceMs);
      stopSummaries();
      await simulator.close();
      await ticketBackend?.close();
    },
  },
  env.SHUTDOWN_GRACE_SECONDS * 1000,
  log,
);
