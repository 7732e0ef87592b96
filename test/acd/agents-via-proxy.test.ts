/**
 * Agents behind the SIP proxy of a multi-node layout (deploy/README.md): with
 * `acd.agentsVia`, the ACD rings a seat as `PJSIP/<seat>@<agentsVia>` (the proxy finds the
 * agent's registration, whichever node holds the call); without it, as the seat itself.
 */
import { describe, expect, it } from 'vitest';
import { agentDialString } from '../../src/acd/agent-dial.js';
import { AcdConfigSchema } from '../../src/acd/config-schema.js';
import { Supervision, supervisionIds } from '../../src/acd/supervision/index.js';
import { eventually, testLog } from '../support/service-harness.js';
import { agentProfile, callIdOf, callToQueue, talkBridge, untilAgent, useAcdCalls } from './support/acd-calls.js';

describe('the dial string of an agent seat', () => {
  it('is the seat itself on one node, and the seat through the proxy endpoint with agentsVia', () => {
    expect(agentDialString('PJSIP/2001', undefined)).toBe('PJSIP/2001');
    expect(agentDialString('PJSIP/2001', 'kamailio-agents')).toBe('PJSIP/2001@kamailio-agents');
    // Another technology has no PJSIP proxy endpoint: dialled as it is.
    expect(agentDialString('IAX2/2001', 'kamailio-agents')).toBe('IAX2/2001');
  });

  it('agentsVia is an endpoint name, never a dial string', () => {
    const base = { skills: ['general'], queues: { general: { skill: 'general' } } };
    expect(AcdConfigSchema.parse(base).agentsVia).toBeUndefined();
    expect(AcdConfigSchema.parse({ ...base, agentsVia: 'kamailio-agents' }).agentsVia).toBe('kamailio-agents');
    for (const bad of ['PJSIP/kamailio', 'kamailio@10.0.0.1', 'kamailio agents', '']) {
      expect(AcdConfigSchema.safeParse({ ...base, agentsVia: bad }).success, bad).toBe(false);
    }
  });
});

const start = useAcdCalls();

describe('a caller reaches an agent registered at the proxy', () => {
  it('rings PJSIP/<seat>@<agentsVia> and bridges the caller with the agent who answers there', async () => {
    const h = await start((config) => {
      config.acd!.agentsVia = 'kamailio-agents';
    });
    // The seat is not registered on this node: only the proxy reaches the agent.
    h.sim.setEndpointBehaviour('PJSIP/1001@kamailio-agents', { kind: 'answer', afterMs: 200 });
    await h.service.acd!.desk.login({ id: 'a1001', ...agentProfile('1001') });
    const channelId = await callToQueue(h);
    const callId = callIdOf(h, channelId);
    await untilAgent(h, 'a1001', 'on-call');
    await eventually(() => talkBridge(h, callId)?.channels.length === 2, 5000, 'caller and agent bridged');
    const dialled = h.sim.events().filter((e) => e.event.type === 'Dial').map((e) => (e.event as { dialstring?: string }).dialstring);
    expect(dialled).toContain('1001@kamailio-agents');
    expect(dialled).not.toContain('1001');
  });
});

describe('a supervisor registered at the proxy', () => {
  it('is rung as PJSIP/<seat>@<agentsVia> and barges into the call', async () => {
    const h = await start((config) => {
      config.acd!.agentsVia = 'kamailio-agents';
    });
    h.sim.setEndpointBehaviour('PJSIP/1001@kamailio-agents', { kind: 'answer', afterMs: 100 });
    h.sim.setEndpointBehaviour('PJSIP/1002@kamailio-agents', { kind: 'answer', afterMs: 0 });
    await h.service.acd!.desk.login({ id: 'a1001', ...agentProfile('1001') });
    const channelId = await callToQueue(h);
    const callId = callIdOf(h, channelId);
    await untilAgent(h, 'a1001', 'on-call');
    await eventually(() => talkBridge(h, callId)?.channels.length === 2, 5000, 'caller and agent bridged');
    const { core } = h.service.acd!;
    const supervision = new Supervision({ ari: h.ari, agents: core.agents, redis: core.redis, keyPrefix: h.keyPrefix, log: testLog, agentsVia: 'kamailio-agents' });
    supervision.attach(h.service.calls);
    try {
      const { id } = await supervision.start({ mode: 'barge', agentId: 'a1001', supervisorEndpoint: 'PJSIP/1002', actor: { name: 'zhang-wei', role: 'supervisor' } });
      await eventually(() => talkBridge(h, callId)?.channels.includes(supervisionIds(id).supervisorChannel) === true, 5000, 'supervisor in the call');
    } finally {
      await supervision.close();
    }
  });
});
