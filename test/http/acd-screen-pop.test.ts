/**
 * GET /acd/agents/:agentId/screen-pop through the whole service (simulator, real Redis, real
 * HTTP, built-in users): while the agent's phone rings, the agent and a supervisor see the
 * caller, the line, the menu path with its keys, the wait, the repeat-caller flag and the
 * open tickets from the ticket backend; another agent is refused; no call gives a clear
 * error. With masking configured for agents, the agent sees the number masked and its phone
 * is rung with the masked number too, while the supervisor still sees it whole; a ticket
 * backend that does not answer leaves the pop answering without it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { HotlineConfig } from '../../src/app/config-schema.js';
import type { ScreenPopView } from '../../src/acd/screen-pop/index.js';
import type { TicketBackendClient } from '../../src/crm-bridge/index.js';
import { callIdOf, callToQueue, simChannel, untilAgent } from '../acd/support/acd-calls.js';
import { agentAt, offerLegs, useAcdScenarios } from '../acd/support/acd-scenarios.js';
import { CITIZEN, OPEN_TICKET, seededTickets, tokenOf, usersAuth, type TestUser } from '../acd/support/screen-pop-fixtures.js';
import { eventually, type Harness } from '../support/service-harness.js';

const start = useAcdScenarios();
const AGENT: TestUser = { name: 'a1001', password: 'agent-password-1001', role: 'agent' };
const OTHER: TestUser = { name: 'a1002', password: 'agent-password-1002', role: 'agent' };
const SUPERVISOR: TestUser = { name: 'li.na', password: 'supervisor-password', role: 'supervisor' };
const TOKEN_SECRET = 'screen-pop-test-secret-of-at-least-32-chars';

type Pop = ScreenPopView & { error_id?: string };

let auth: HotlineConfig['auth'];
beforeAll(async () => {
  auth = await usersAuth([AGENT, OTHER, SUPERVISOR]);
});

async function popOf(h: Harness, agentId: string, token: string): Promise<{ status: number; body: Pop; cache: string | null }> {
  const res = await fetch(`${h.service.url}/acd/agents/${agentId}/screen-pop`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Pop, cache: res.headers.get('cache-control') };
}

/** A service where agent a1001 is logged in, its phone ringing without answer (300 s of the simulator's clock is 15 s here). */
async function deskWithRingingPhone(options: { screenPop?: NonNullable<HotlineConfig['acd']>['screenPop']; lookups?: TicketBackendClient }): Promise<Harness> {
  const h = await start(
    (c) => {
      c.auth = auth;
      c.acd!.queues.general!.ringTimeoutSeconds = 300;
      if (options.screenPop) c.acd!.screenPop = options.screenPop;
    },
    { authTokenSecret: TOKEN_SECRET, ticketLookups: options.lookups },
  );
  await agentAt(h, AGENT.name, '1001', { kind: 'ring' });
  return h;
}

describe('the screen pop route', () => {
  it('while the phone rings: the agent and a supervisor see the whole caller data; another agent is refused; no call is a clear 409', async () => {
    const h = await deskWithRingingPhone({ lookups: seededTickets() });
    const [agent, other, supervisor] = await Promise.all([AGENT, OTHER, SUPERVISOR].map((u) => tokenOf(h.service.url, u)));

    const idle = await popOf(h, AGENT.name, agent!);
    expect(idle.status).toBe(409);
    expect(idle.body.error_id).toBe('acd:agent-has-no-call');
    const nobody = await popOf(h, 'a9999', supervisor!);
    expect([nobody.status, nobody.body.error_id]).toEqual([404, 'acd:no-such-agent']);

    const channelId = await callToQueue(h, CITIZEN);
    const callId = callIdOf(h, channelId);
    await untilAgent(h, AGENT.name, 'ringing');

    const seen = await popOf(h, AGENT.name, agent!);
    expect(seen.status).toBe(200);
    expect(seen.cache).toBe('no-store');
    expect(seen.body).toMatchObject({
      callId,
      queue: 'general',
      agentState: 'ringing',
      caller: { number: CITIZEN, masked: false },
      dialled: '12345',
      line: 'main',
      repeatCaller: { days: 30, threshold: 3, contacts: 3, repeat: true },
      tickets: [OPEN_TICKET],
      lookup: 'ok',
    });
    // The menu as the caller went through it: 0 pressed in the main menu, then the queue.
    expect(seen.body.path.filter((s) => s.input !== null).map((s) => [s.node, s.input])).toEqual([['main-menu', '0']]);
    expect(seen.body.path.at(-1)).toMatchObject({ outcome: 'queue:general' });
    expect(Date.parse(seen.body.wait.enqueuedAt!)).toBeLessThanOrEqual(Date.now());
    expect(seen.body.wait.waitedMs).toBeGreaterThanOrEqual(0);

    const refused = await popOf(h, AGENT.name, other!);
    expect([refused.status, refused.body.error_id]).toEqual([403, 'forbidden']);
    const bySupervisor = await popOf(h, AGENT.name, supervisor!);
    expect(bySupervisor.status).toBe(200);
    expect(bySupervisor.body.caller).toMatchObject({ number: CITIZEN, masked: false });
    // The phone carries the number the desk shows.
    expect(offerLegs(h, callId).map((leg) => simChannel(h, leg)?.caller.number)).toEqual([CITIZEN]);
  });

  it('agents not allowed whole numbers: the agent sees it masked and its phone rings with the masked number; the supervisor sees it whole; a silent backend leaves the pop without tickets', async () => {
    const never = () => new Promise<never>(() => undefined);
    const silent: TicketBackendClient = { statusOf: never, openTicketsOf: never, repeatCallerCount: never };
    const h = await deskWithRingingPhone({ screenPop: { wholeNumberRoles: ['supervisor'], repeatCallerDays: 30, repeatCallerThreshold: 3, lookupTimeoutMs: 300 }, lookups: silent });
    const [agent, supervisor] = await Promise.all([AGENT, SUPERVISOR].map((u) => tokenOf(h.service.url, u)));
    const channelId = await callToQueue(h, CITIZEN);
    const callId = callIdOf(h, channelId);
    await untilAgent(h, AGENT.name, 'ringing');
    await eventually(() => offerLegs(h, callId).length === 1, 5000, 'the offer leg');
    // What Asterisk sends to the softphone: the originate's caller id is the masked number.
    expect(simChannel(h, offerLegs(h, callId)[0]!)?.caller.number).toBe('139******78');

    const seen = await popOf(h, AGENT.name, agent!);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ caller: { number: '139******78', masked: true, name: null }, tickets: null, lookup: 'unavailable', repeatCaller: { contacts: null, repeat: null } });
    expect(JSON.stringify(seen.body)).not.toContain(CITIZEN);
    const bySupervisor = await popOf(h, AGENT.name, supervisor!);
    expect(bySupervisor.body.caller).toMatchObject({ number: CITIZEN, masked: false });
  });

  it('without a ticket backend the pop says so and still shows the call', async () => {
    const h = await deskWithRingingPhone({});
    const agent = await tokenOf(h.service.url, AGENT);
    await callToQueue(h, CITIZEN);
    await untilAgent(h, AGENT.name, 'ringing');
    const seen = await popOf(h, AGENT.name, agent);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ caller: { number: CITIZEN }, tickets: null, lookup: 'unconfigured', repeatCaller: { repeat: null } });
  });

  it('is in the OpenAPI document with its errors and the bearer scheme', async () => {
    const h = await deskWithRingingPhone({});
    const doc = (await (await fetch(`${h.service.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { security?: unknown; responses: Record<string, { description: string }>; description?: string }>> };
    const operation = doc.paths['/acd/agents/{agentId}/screen-pop']?.get;
    expect(operation?.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(operation!.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '404', '409', '503']));
    expect(operation!.description).toContain('acd:agent-has-no-call');
  });
});
