/**
 * The whole service for the page tests: the ACD's test config (with the test's edits), the
 * agent and a supervisor as built-in users, and the agent on the roster at seat 1001; and
 * its end with the browser's.
 */
import { AuthConfigSchema, hashPassword } from '../../../src/auth/index.js';
import { acdConfig, agentProfile, type EditConfig } from '../../acd/support/acd-calls.js';
import { startHarness, type Harness } from '../../support/service-harness.js';
import { AGENT, type TestBrowser } from './browser.js';

/** The supervisor the page tests sign in as on the wallboard. */
export const SUPERVISOR = { name: 'li.na', password: 'supervisor-password' };

export async function startPageService(tokenSecret: string, edit?: EditConfig): Promise<Harness> {
  const config = await acdConfig(edit);
  // The cheapest hashes the config accepts: the test signs in, it does not measure scrypt.
  const cost = { N: 2 ** 14 };
  config.auth = AuthConfigSchema.parse({
    users: [
      { name: AGENT.name, role: 'agent', passwordHash: await hashPassword(AGENT.password, cost) },
      { name: SUPERVISOR.name, role: 'supervisor', passwordHash: await hashPassword(SUPERVISOR.password, cost) },
    ],
  });
  const h = await startHarness({ config, authTokenSecret: tokenSecret });
  await h.service.acd!.desk.putOnRoster(AGENT.name, agentProfile('1001'));
  return h;
}

/** Closes the browser, hangs up what is still up in the simulator, and stops the service. */
export async function stopPageService(browser: TestBrowser | undefined, h: Harness | undefined): Promise<void> {
  await browser?.close();
  for (const channel of h?.sim.channels() ?? []) h!.sim.hangupFromCaller(channel.id as string);
  await h?.close();
}
