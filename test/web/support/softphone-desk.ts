/**
 * The agent desk the softphone page tests share: a simulator with its SIP over WebSocket
 * peer, the service with the ACD's softphones pointed at it and the test agent on the roster
 * of PJSIP/1001, and a Chromium page; plus what those tests read of the page's call.
 */
import type { Page } from 'playwright-core';
import { startAriSimulator } from '../../../sim/index.js';
import { SipSettingsSchema } from '../../../src/acd/sip-credentials.js';
import { AuthConfigSchema, hashPassword } from '../../../src/auth/index.js';
import { acdConfig, agentProfile } from '../../acd/support/acd-calls.js';
import { ARI_PASSWORD, ARI_USER, startHarness, type Harness, type Simulator } from '../../support/service-harness.js';
import { AGENT, launchBrowser, type TestBrowser } from './browser.js';

export interface SoftphoneDesk {
  sim: Simulator;
  h: Harness;
  browser: TestBrowser;
  desk: Page;
  /** Browser, service and simulator closed, in that order. */
  close(): Promise<void>;
}

/** Starts simulator, service and browser; `sipSecret` is the service's AGENT_SIP_SECRET and the simulator's. */
export async function startSoftphoneDesk(o: { sipSecret: string; authTokenSecret: string }): Promise<SoftphoneDesk> {
  const sim = await startAriSimulator({ port: 0, username: ARI_USER, password: ARI_PASSWORD, speed: 20, sipSecret: o.sipSecret });
  const config = await acdConfig((c) => {
    c.acd!.softphones = SipSettingsSchema.parse({ domain: '127.0.0.1', wsServer: sim.sipUrl, iceServers: [] });
    // The simulator runs 20× fast: 300 s of its ringing is 15 s for the page to answer in.
    for (const queue of Object.values(c.acd!.queues)) queue.ringTimeoutSeconds = 300;
  });
  config.auth = AuthConfigSchema.parse({ users: [{ name: AGENT.name, role: 'agent', passwordHash: await hashPassword(AGENT.password, { N: 2 ** 14 }) }] });
  const h = await startHarness({ simulator: sim, config, authTokenSecret: o.authTokenSecret, agentSipSecret: o.sipSecret });
  await h.service.acd!.desk.putOnRoster(AGENT.name, agentProfile('1001'));
  const browser = await launchBrowser();
  const close = async (): Promise<void> => {
    await browser.close();
    await h.close();
    await sim.close();
  };
  return { sim, h, browser, desk: await browser.page(), close };
}

type PhoneWindow = { hotlinePhone: () => { peerConnection(): RTCPeerConnection | undefined } | undefined };

/** The page's call: its RTCPeerConnection's state. */
export function peerConnectionState(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (window as unknown as PhoneWindow).hotlinePhone()?.peerConnection()?.connectionState);
}

/** The audio packets the page's call received (getStats inbound-rtp). */
export function inboundPackets(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const pc = (window as unknown as PhoneWindow).hotlinePhone()?.peerConnection();
    let packets = 0;
    (await pc?.getStats())?.forEach((r: { type: string; kind?: string; packetsReceived?: number }) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') packets += r.packetsReceived ?? 0;
    });
    return packets;
  });
}
