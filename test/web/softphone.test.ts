/**
 * The agent desktop's SIP.js softphone in headless Chromium against the simulator's SIP over
 * WebSocket registrar: the page fetches its credentials from the agent API (acd.softphones,
 * AGENT_SIP_SECRET), registers for its roster seat through the digest challenge, and says so;
 * Asterisk's side (ARI) sees the endpoint online. When Asterisk drops the connection, the banner says
 * the phone is not registered, and the page registers again by itself.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAriSimulator } from '../../sim/index.js';
import { SipSettingsSchema } from '../../src/acd/sip-credentials.js';
import { AuthConfigSchema, hashPassword } from '../../src/auth/index.js';
import { acdConfig, agentProfile } from '../acd/support/acd-calls.js';
import { ARI_PASSWORD, ARI_USER, startHarness, type Harness, type Simulator } from '../support/service-harness.js';
import { launchBrowser, screenshot, type TestBrowser } from './support/browser.js';

const AGENT = { name: 'a1001', password: 'agent-password-1001' };
const SIP_SECRET = 'softphone-test-sip-secret-0123456789abcdef';
const SEEN_WITHIN_MS = 10_000;
const TEST_MS = 60_000;

let sim: Simulator;
let h: Harness;
let browser: TestBrowser;
let desk: Page;

/** The endpoint's state as Asterisk's REST interface tells it. */
async function endpointState(name: string): Promise<string> {
  const res = await fetch(`${sim.url}/ari/endpoints/PJSIP/${name}`, { headers: { authorization: `Basic ${Buffer.from(`${ARI_USER}:${ARI_PASSWORD}`).toString('base64')}` } });
  return ((await res.json()) as { state: string }).state;
}

beforeAll(async () => {
  sim = await startAriSimulator({ port: 0, username: ARI_USER, password: ARI_PASSWORD, speed: 20, sipSecret: SIP_SECRET });
  const config = await acdConfig((c) => {
    c.acd!.softphones = SipSettingsSchema.parse({ domain: '127.0.0.1', wsServer: sim.sipUrl, iceServers: [] });
  });
  config.auth = AuthConfigSchema.parse({ users: [{ name: AGENT.name, role: 'agent', passwordHash: await hashPassword(AGENT.password, { N: 2 ** 14 }) }] });
  h = await startHarness({ simulator: sim, config, authTokenSecret: 'softphone-test-secret-of-at-least-32-chars', agentSipSecret: SIP_SECRET });
  await h.service.acd!.desk.putOnRoster(AGENT.name, agentProfile('1001'));
  browser = await launchBrowser();
  desk = await browser.page();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await sim?.close();
}, 30_000);

const banner = () => desk.locator('#phone-banner');

describe('the agent softphone', () => {
  it('registers for the roster seat with the credentials from the API: the page and Asterisk agree', async () => {
    expect(await endpointState('1001')).toBe('offline');
    await desk.goto(`${h.service.url}/app/agent.html`);
    await desk.fill('#username', AGENT.name);
    await desk.fill('#password', AGENT.password);
    await desk.click('#login button[type=submit]');
    await expect.poll(() => banner().getAttribute('data-registered'), { timeout: SEEN_WITHIN_MS }).toBe('true');
    expect(await banner().textContent()).toBe('软电话已注册');
    await expect.poll(() => endpointState('1001'), { timeout: SEEN_WITHIN_MS }).toBe('online');
    await screenshot(desk, 'agent-desktop-registered');
  }, TEST_MS);

  it('after Asterisk drops every connection for a while, shows the phone unregistered and registers again by itself', async () => {
    // Every socket cut (ARI's too: the service reconnects as well), new ones refused for 3 s of the simulator's clock.
    const outage = sim.outage(3000);
    await expect.poll(() => banner().getAttribute('data-registered'), { timeout: SEEN_WITHIN_MS }).toBe('false');
    await screenshot(desk, 'agent-desktop-unregistered');
    await outage;
    await expect.poll(() => banner().getAttribute('data-registered'), { timeout: SEEN_WITHIN_MS }).toBe('true');
    await expect.poll(() => endpointState('1001'), { timeout: SEEN_WITHIN_MS }).toBe('online');
  }, TEST_MS);
});
