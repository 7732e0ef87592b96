/**
 * The whole service with the SMS part on: the reference ticket backend (sinks and the
 * signed webhook's sender), an in-process SMSC, the ARI simulator, the private Redis.
 */
import { HotlineConfigSchema, type HotlineConfig } from '../../../src/app/config-schema.js';
import type { SmsConfigInput } from '../../../src/sms/index.js';
import { sendTicketEvent, type ReferenceBackend } from '../../../sim/ticket-backend/server.js';
import { SECRETS, bridgeConfig, startBackend, waitFor } from '../../crm-bridge/harness.js';
import { foundationConfig, startHarness, type Harness } from '../../support/service-harness.js';
import { SMPP_CREDENTIALS } from './fixtures.js';
import { startSmppPeer, type SmppPeer } from './smpp-peer.js';

export const SUPERVISOR_TOKEN = 'sms-supervisor-token-for-tests';
export const SMS_SECRETS = { SMS_SMPP_PASSWORD: SMPP_CREDENTIALS.password, SMS_DIGEST_SECRET: 'digest-secret-for-tests' };

export function smsConfig(port: number, overrides: Partial<SmsConfigInput> = {}): SmsConfigInput {
  return {
    gateway: { kind: 'smpp', host: '127.0.0.1', port, systemId: SMPP_CREDENTIALS.systemId, passwordEnv: 'SMS_SMPP_PASSWORD', enquireLinkMs: 1000, responseTimeoutMs: 3000, rebind: { firstMs: 20, maxMs: 200 } },
    numberDigestSecretEnv: 'SMS_DIGEST_SECRET',
    retry: { attempts: 4, firstMs: 20, maxMs: 100 },
    leaseMs: 1000,
    pollMs: 50,
    ...overrides,
  };
}

export interface SmsWorld {
  backend: ReferenceBackend;
  peer: SmppPeer;
  config: HotlineConfig;
  start(options?: { keyPrefix?: string; smsSecrets?: Record<string, string> }): Promise<Harness>;
  /** Posts a signed ticket.created to the service's webhook. */
  ticketCreated(h: Harness, eventId: string, data: Record<string, unknown>): Promise<{ status: number; body: unknown }>;
  /** The ticket.sms events the city sink received for a ticket, as [status, data]. */
  smsEvents(ticketNumber: string): Array<Record<string, unknown>>;
  waitForSmsEvent(ticketNumber: string, status: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startSmsWorld(overrides: Partial<SmsConfigInput> = {}): Promise<SmsWorld> {
  const backend = await startBackend(500);
  const peer = await startSmppPeer(SMPP_CREDENTIALS);
  const base = await foundationConfig();
  const config = HotlineConfigSchema.parse({ ...base, crmBridge: bridgeConfig(backend), sms: smsConfig(peer.port, overrides) });
  const harnesses: Harness[] = [];
  const smsEvents = (ticketNumber: string) =>
    backend
      .recorder('city-tickets')
      .ofCall(`ticket:${ticketNumber}`)
      .filter((m) => m.type === 'ticket.sms')
      .map((m) => m.body.data as Record<string, unknown>);
  return {
    backend,
    peer,
    config,
    async start(options = {}) {
      const h = await startHarness({
        config,
        keyPrefix: options.keyPrefix,
        crmSecrets: SECRETS,
        smsSecrets: options.smsSecrets ?? SMS_SECRETS,
        apiTokens: [{ name: 'sms-desk', role: 'supervisor', token: SUPERVISOR_TOKEN }],
      });
      harnesses.push(h);
      await h.service.started;
      return h;
    },
    ticketCreated: (h, eventId, data) =>
      sendTicketEvent(`${h.service.url}/webhooks/ticket-events`, SECRETS.CRM_INBOUND_SECRET, {
        schema: 'hotline.ticket-event/v1',
        eventId,
        type: 'ticket.created',
        occurredAt: '2026-03-02T09:30:00.000+08:00',
        data,
      }),
    smsEvents,
    async waitForSmsEvent(ticketNumber, status) {
      await waitFor(`ticket.sms ${status} of ${ticketNumber}`, () => smsEvents(ticketNumber).some((e) => e.status === status));
      return smsEvents(ticketNumber).find((e) => e.status === status)!;
    },
    async close() {
      for (const h of harnesses.splice(0)) await h.close();
      await peer.close();
      await backend.close();
    },
  };
}
