/**
 * Wrap-up dispositions through the whole service (simulator, real Redis, real HTTP, the
 * reference ticket backend as both sinks): the codes from acd.dispositions, refusals (unknown
 * code, bad note, not in wrap-up, another agent's desk), and exactly one call.disposition per
 * wrap-up reaching the ticket backend — the last one set when set twice, none when the
 * wrap-up ran out without one — counted in hotline_acd_dispositions_total.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHotlineConfig } from '../../src/app/load-config.js';
import { DEFAULT_DISPOSITIONS, DispositionsSchema, dispositionEvent } from '../../src/acd/dispositions/index.js';
import type { ReferenceBackend } from '../../sim/ticket-backend/server.js';
import { SECRETS, SINKS, startBackend } from '../crm-bridge/harness.js';
import { eventually, type Harness } from '../support/service-harness.js';
import { callIdOf, callToQueue, eventsOf, untilAgent, type EditConfig } from './support/acd-calls.js';
import { agentAt, useAcdScenarios } from './support/acd-scenarios.js';

const AGENT = { name: 'a1001', role: 'agent' as const, token: 'agent-a1001-token-for-disposition-tests' };
const OTHER = { name: 'a1002', role: 'agent' as const, token: 'agent-a1002-token-for-disposition-tests' };
const SUPERVISOR = { name: 'li.na', role: 'supervisor' as const, token: 'supervisor-token-for-disposition-tests' };
const answers = { kind: 'answer', afterMs: 100 } as const;

const start = useAcdScenarios();
let backend: ReferenceBackend;
beforeAll(async () => {
  backend = await startBackend();
});
afterAll(async () => {
  await backend?.close();
});

/** The ACD example with its sinks pointed at the reference backend. */
async function service(edit?: EditConfig): Promise<Harness> {
  const { crmBridge } = await loadHotlineConfig('config/hotline.example.yaml');
  return start(
    (c) => {
      c.crmBridge = { ...crmBridge!, sinks: crmBridge!.sinks.map((s) => ({ ...s, url: backend.sinkUrl(s.name), retry: { attempts: 50, backoffMs: 20, maxBackoffMs: 200 } })), lookup: undefined };
      edit?.(c);
    },
    { crmSecrets: SECRETS, apiTokens: [AGENT, OTHER, SUPERVISOR] },
  );
}

async function call(h: Harness, method: string, path: string, who: { token: string } | null, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (who) headers.authorization = `Bearer ${who.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${h.service.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** One answered call of a1001, ended by the caller: the agent is in wrap-up; its call id. */
async function wrapUpAfterCall(h: Harness): Promise<string> {
  await agentAt(h, AGENT.name, '1001', answers);
  const channelId = await callToQueue(h);
  await untilAgent(h, AGENT.name, 'on-call');
  h.sim.hangupFromCaller(channelId);
  await h.ended(channelId);
  await untilAgent(h, AGENT.name, 'wrap-up');
  return callIdOf(h, channelId);
}

const dispositionsAt = (sink: string, callId: string) => backend.recorder(sink).ofCall(callId).filter((m) => m.type === 'call.disposition');

/** Waits until every sink has the call's disposition, then checks nobody got a second one. */
async function deliveredOnce(h: Harness, callId: string): Promise<Record<string, unknown>> {
  await eventually(() => SINKS.every((sink) => dispositionsAt(sink, callId).length > 0), 10_000, 'call.disposition at both sinks');
  for (const sink of SINKS) expect(dispositionsAt(sink, callId)).toHaveLength(1);
  expect(eventsOf(h, callId, 'call.disposition')).toHaveLength(1);
  return dispositionsAt(SINKS[0], callId)[0]!.body.data as Record<string, unknown>;
}

async function counted(h: Harness, code: string): Promise<number> {
  const metric = await h.service.metrics.getSingleMetric('hotline_acd_dispositions_total')?.get();
  return metric?.values.find((v) => v.labels.code === code)?.value ?? 0;
}

describe('the dispositions config', () => {
  it("defaults to a 12345 centre's list and refuses a code twice", () => {
    expect(DispositionsSchema.parse(undefined).map((d) => d.code)).toEqual(DEFAULT_DISPOSITIONS.map((d) => d.code));
    expect(DEFAULT_DISPOSITIONS.map((d) => d.zh)).toEqual(expect.arrayContaining(['咨询', '求助', '投诉', '举报', '建议', '表扬', '转办', '无效来电']));
    const twice = DispositionsSchema.safeParse([{ code: 'a', zh: '甲', en: 'A' }, { code: 'a', zh: '乙', en: 'B' }]);
    expect(twice.success).toBe(false);
    expect(DispositionsSchema.safeParse([{ code: 'Not Kebab', zh: '甲', en: 'A' }]).success).toBe(false);
    expect(DispositionsSchema.safeParse([]).success).toBe(false);
  });

  it('a wrap-up ended early or run out is told apart by its planned end', () => {
    const wrapped = { callId: 'c1', queue: 'general', since: 1000, until: 31_000 };
    expect(dispositionEvent('a1', wrapped, { code: '', note: '', at: '' }, 31_000).data).toEqual({ agentId: 'a1', queue: 'general', code: null, note: null, setAt: null, ended: 'expired', wrapUpMs: 30_000 });
    expect(dispositionEvent('a1', wrapped, { code: 'help', note: 'x', at: '2000' }, 5000).data).toMatchObject({ code: 'help', note: 'x', ended: 'early', setAt: new Date(2000).toISOString() });
    expect(dispositionEvent('a1', wrapped, { code: '', note: '', at: '' }, 5000).id).toBe(dispositionEvent('a1', wrapped, { code: 'help', note: '', at: '1' }, 9000).id);
  });
});

describe('wrap-up dispositions', () => {
  it('lists the codes to agents and supervisors, and refuses unknown codes, long notes, other desks and agents not in wrap-up', async () => {
    const h = await service();
    const listed = await call(h, 'GET', '/acd/dispositions', AGENT);
    expect(listed.status).toBe(200);
    expect(listed.body.dispositions).toEqual(DEFAULT_DISPOSITIONS);
    expect(listed.body.noteMaxLength).toBe(200);
    expect((await call(h, 'GET', '/acd/dispositions', SUPERVISOR)).status).toBe(200);
    expect((await call(h, 'GET', '/acd/dispositions', null)).status).toBe(401);

    await agentAt(h, AGENT.name, '1001', answers);
    const unknown = await call(h, 'POST', `/acd/agents/${AGENT.name}/wrap-up/disposition`, AGENT, { code: 'gossip' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error_id).toBe('acd:unknown-disposition');
    expect(unknown.body.message).toContain('consultation');
    expect((await call(h, 'POST', `/acd/agents/${AGENT.name}/wrap-up/end`, AGENT, { code: 'gossip' })).body.error_id).toBe('acd:unknown-disposition');
    expect((await call(h, 'POST', `/acd/agents/${AGENT.name}/wrap-up/disposition`, AGENT, { code: 'help', note: 'x'.repeat(201) })).status).toBe(400);
    expect((await call(h, 'POST', `/acd/agents/${AGENT.name}/wrap-up/disposition`, AGENT, { code: 'help', extra: 1 })).status).toBe(400);
    expect((await call(h, 'POST', `/acd/agents/${AGENT.name}/wrap-up/end`, AGENT, { note: 'without a code' })).status).toBe(400);
    expect((await call(h, 'POST', `/acd/agents/${AGENT.name}/wrap-up/disposition`, OTHER, { code: 'help' })).status).toBe(403);

    const ready = await call(h, 'POST', `/acd/agents/${AGENT.name}/wrap-up/disposition`, AGENT, { code: 'help' });
    expect(ready.status).toBe(409);
    expect(ready.body.error_id).toBe('acd:agent-not-in-wrap-up');
    const never = await call(h, 'POST', '/acd/agents/nobody/wrap-up/disposition', SUPERVISOR, { code: 'help' });
    expect(never.status).toBe(404);
  });

  it('set twice during the wrap-up: the last one reaches the ticket backend once, when the agent ends the wrap-up', async () => {
    const h = await service((c) => (c.acd!.queues.general!.wrapUpSeconds = 600));
    const callId = await wrapUpAfterCall(h);

    const first = await call(h, 'POST', `/acd/agents/${AGENT.name}/wrap-up/disposition`, AGENT, { code: 'consultation' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ agentId: AGENT.name, callId, queue: 'general', code: 'consultation', note: null });
    const second = await call(h, 'POST', `/acd/agents/${AGENT.name}/wrap-up/disposition`, AGENT, { code: 'complaint', note: '  小区噪音扰民  ' });
    expect(second.body).toMatchObject({ code: 'complaint', note: '小区噪音扰民' });
    // Nothing goes out while the wrap-up runs on.
    expect(eventsOf(h, callId, 'call.disposition')).toEqual([]);
    expect((await h.service.acd!.desk.get(AGENT.name))?.state.kind).toBe('wrap-up');

    const ended = await call(h, 'POST', `/acd/agents/${AGENT.name}/wrap-up/end`, AGENT);
    expect(ended.body).toMatchObject({ from: 'wrap-up', to: 'ready' });
    const data = await deliveredOnce(h, callId);
    expect(data).toMatchObject({ agentId: AGENT.name, queue: 'general', code: 'complaint', note: '小区噪音扰民', ended: 'early' });
    expect(await counted(h, 'complaint')).toBe(1);
    expect(await counted(h, 'consultation')).toBe(0);

    // Over: a late disposition is refused, not left behind.
    expect((await call(h, 'POST', `/acd/agents/${AGENT.name}/wrap-up/disposition`, AGENT, { code: 'praise' })).status).toBe(409);
  });

  it('given with the end of the wrap-up: sent with it', async () => {
    const h = await service((c) => (c.acd!.queues.general!.wrapUpSeconds = 600));
    const callId = await wrapUpAfterCall(h);
    const ended = await call(h, 'POST', `/acd/agents/${AGENT.name}/wrap-up/end`, SUPERVISOR, { code: 'praise', note: '感谢及时处理' });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ to: 'ready' });
    expect(await deliveredOnce(h, callId)).toMatchObject({ code: 'praise', note: '感谢及时处理', ended: 'early' });
    expect(await counted(h, 'praise')).toBe(1);
  });

  it('a wrap-up that runs out without one is sent as such', async () => {
    const h = await service((c) => (c.acd!.queues.general!.wrapUpSeconds = 1));
    const callId = await wrapUpAfterCall(h);
    await untilAgent(h, AGENT.name, 'ready');
    expect(await deliveredOnce(h, callId)).toMatchObject({ agentId: AGENT.name, code: null, note: null, setAt: null, ended: 'expired' });
    expect(await counted(h, 'none')).toBe(1);
  });
});
