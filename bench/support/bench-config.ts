/**
 * The service's config under load: the example (menu, queues, ACD, emergency, ticket
 * bridge) with the queue's timers compressed like the simulator's sounds, no recording
 * (it would write every call's audio to this machine's disk) and no satisfaction survey
 * or missed-call callbacks (they would place calls of their own after the measured ones).
 */
import { loadHotlineConfig } from '../../src/app/load-config.js';
import type { HotlineConfig } from '../../src/app/config-schema.js';

/** The simulator's time scale in the call benchmarks: a 2 s prompt plays for 200 ms. */
export const SIM_SPEED = 10;

export const CRM_SECRETS = { CRM_CITY_SECRET: 'bench-city', CRM_PROVINCE_SECRET: 'bench-province' };

export const agentSeat = (i: number): string => `seat${String(i + 1).padStart(4, '0')}`;

export async function benchServiceConfig(sinkBaseUrl: string | undefined): Promise<HotlineConfig> {
  const { recording: _recording, satisfactionCallback: _survey, crmBridge, ...config } = await loadHotlineConfig('config/hotline.example.yaml');
  const acd = config.acd!;
  delete acd.virtualHold;
  acd.callbacks.missedCalls.enabled = false;
  for (const queue of Object.values(acd.queues)) {
    queue.wrapUpSeconds = 1;
    queue.ringTimeoutSeconds = 5;
    // Waiting callers hear their position and wait every 5 s instead of 45.
    queue.announceEverySeconds = 5;
    queue.longestWaitSeconds = 3600;
    queue.minLevel = 1;
    queue.widening = [];
  }
  if (!sinkBaseUrl || !crmBridge) return config;
  return {
    ...config,
    crmBridge: {
      ...crmBridge,
      inbound: undefined,
      sinks: crmBridge.sinks.map((sink) => ({ ...sink, url: `${sinkBaseUrl}/sinks/${sink.name}/events` })),
      lookup: crmBridge.lookup ? { ...crmBridge.lookup, baseUrl: sinkBaseUrl } : crmBridge.lookup,
    },
  };
}
