/**
 * Runs the IVR flow on an in-memory call with the example config, a real Redis (for the
 * priority list and restrictions), recording ports and a ticket backend double.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { FlowResult } from '../../../src/calls/ports/call-flow.js';
import type { HotlineConfig } from '../../../src/app/config-schema.js';
import { createIvrFlowFactory, createIvrServices, type IvrServices } from '../../../src/ivr/index.js';
import { keyspace } from '../../../src/redis/connection.js';
import { FakeCall } from './fake-call.js';
import { exampleConfig, WORKDAY_MORNING } from './example-config.js';
import { recordingPorts, TicketBackendDouble } from './ports-double.js';
import { createTestLogger } from '../../support/test-logger.js';

/** What a flow answers when it handed the call on (queue, emergency, transfer …). */
export const HANDED_OFF = { then: 'handed-off', outcome: 'transferred' } as const;

export interface HarnessOptions {
  redis: Redis;
  now?: Date;
  edit?: (raw: Record<string, any>) => void;
  tickets?: TicketBackendDouble;
  failEmergency?: number;
}

export interface Harness {
  config: HotlineConfig;
  services: IvrServices;
  ports: ReturnType<typeof recordingPorts>;
  tickets: TicketBackendDouble;
  /** Starts a call and waits until its first prompt plays (or the flow ended). */
  call(options?: ConstructorParameters<typeof FakeCall>[0]): Promise<{ call: FakeCall; result: Promise<FlowResult> }>;
}

export function harness(options: HarnessOptions): Harness {
  const config = exampleConfig(options.edit);
  const log = createTestLogger();
  const ks = keyspace(`test:ivr:${randomUUID()}:`);
  const now = options.now ?? WORKDAY_MORNING;
  const clock = (): Date => now;
  const services = createIvrServices({ config, redis: options.redis, keyspace: ks, log, clock });
  const ports = recordingPorts({ failEmergency: options.failEmergency ?? 0 });
  const tickets = options.tickets ?? new TicketBackendDouble();
  const factory = createIvrFlowFactory({ config, redis: options.redis, keyspace: ks, log, clock, ports, ticketStatus: tickets, services });
  return {
    config,
    services,
    ports,
    tickets,
    async call(callOptions) {
      const call = new FakeCall(callOptions);
      const result = factory(call).run(call);
      await call.started(result);
      return { call, result };
    },
  };
}
