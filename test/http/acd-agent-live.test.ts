/**
 * The agent's live feed over the whole service (real Redis, real HTTP and WebSocket): who
 * may open it, the view at once, each change as it happens — made through this instance's
 * API, by the ACD itself, and by a second instance sharing Redis — and one audit line per
 * connection however many messages it carries.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { ApiToken } from '../../src/config/api-tokens.js';
import { acdConfig, agentProfile } from '../acd/support/acd-calls.js';
import { createTestLogger } from '../support/test-logger.js';
import { startHarness, type Harness } from '../support/service-harness.js';

const AGENT = 'a1001';
const TOKENS: ApiToken[] = [
  { name: AGENT, role: 'agent', token: 'agent-token-a1001-000001' },
  { name: 'a1002', role: 'agent', token: 'agent-token-a1002-000001' },
  { name: 'wall', role: 'supervisor', token: 'supervisor-token-0000001' },
];
const [SELF, OTHER, SUPERVISOR] = TOKENS.map((t) => t.token) as [string, string, string];

type Message = { type: 'agent'; data: { id: string; version: number; state: { kind: string } } | null } | { type: 'change'; data: { agentId: string; to: string; version: number; state: { kind: string } } };

const running: Harness[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await Promise.all(running.splice(0).map((h) => h.close()));
});

async function service(options: { keyPrefix?: string; lines?: Array<Record<string, unknown>>; simulator?: Harness['sim'] } = {}): Promise<Harness> {
  const log = options.lines ? createTestLogger({ stream: { write: (line: string) => void options.lines!.push(JSON.parse(line) as Record<string, unknown>) }, level: 'info' }) : undefined;
  const h = await startHarness({ config: await acdConfig(), apiTokens: TOKENS, keyPrefix: options.keyPrefix, log, simulator: options.simulator, app: options.simulator ? `hotline-${running.length}` : undefined });
  running.push(h);
  return h;
}

const liveUrl = (h: Harness, token?: string, agentId = AGENT) => `${h.service.url.replace(/^http/, 'ws')}/acd/agents/${agentId}/live${token ? `?access_token=${token}` : ''}`;

function connect(url: string): Promise<Message[]> {
  const socket = new WebSocket(url);
  sockets.push(socket);
  const messages: Message[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Message));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(messages));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

function refusedWith(url: string): Promise<number> {
  const socket = new WebSocket(url);
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('open', () => reject(new Error('the upgrade was accepted')));
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('error', () => undefined);
  });
}

const post = (h: Harness, path: string, token: string, body?: unknown) =>
  fetch(`${h.service.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

const lastState = (messages: Message[]) => {
  const last = messages.at(-1);
  return last?.type === 'change' ? last.data.state.kind : last?.data?.state.kind;
};

describe('GET /acd/agents/:agentId/live', () => {
  it('refuses without a token (401) and another agent (403); the agent itself and a supervisor get the view at once', async () => {
    const h = await service();
    await h.service.acd!.desk.putOnRoster(AGENT, agentProfile('1001'));
    expect(await refusedWith(liveUrl(h))).toBe(401);
    expect(await refusedWith(liveUrl(h, 'not-a-token-at-all-0000'))).toBe(401);
    expect(await refusedWith(liveUrl(h, OTHER))).toBe(403);

    // Not logged in yet: no view.
    const before = await connect(liveUrl(h, SELF));
    await vi.waitFor(() => expect(before).toEqual([{ type: 'agent', data: null }]), { timeout: 5000 });

    expect((await post(h, `/acd/agents/${AGENT}/login`, SELF, { reason: 'lunch' })).status).toBe(200);
    const mine = await connect(liveUrl(h, SELF));
    const supervisor = await connect(liveUrl(h, SUPERVISOR));
    for (const messages of [mine, supervisor]) {
      await vi.waitFor(() => expect(messages[0]).toMatchObject({ type: 'agent', data: { id: AGENT, state: { kind: 'not-ready', reason: 'lunch' } } }), { timeout: 5000 });
    }
    // The login reached the socket opened before it, as a view read again (the first version it saw).
    await vi.waitFor(() => expect(lastState(before)).toBe('not-ready'), { timeout: 5000 });
  });

  it("sends each change as it happens, the agent's own and a supervisor's; one audit line per connection", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const h = await service({ lines });
    await h.service.acd!.desk.putOnRoster(AGENT, agentProfile('1001'));
    await post(h, `/acd/agents/${AGENT}/login`, SELF, { reason: 'lunch' });
    const messages = await connect(liveUrl(h, SELF));
    await vi.waitFor(() => expect(messages).toHaveLength(1), { timeout: 5000 });
    const first = messages[0]!;
    if (first.type !== 'agent' || !first.data) throw new Error('no view first');

    expect((await post(h, `/acd/agents/${AGENT}/ready`, SELF)).status).toBe(200);
    await vi.waitFor(() => expect(messages.at(-1)).toMatchObject({ type: 'change', data: { agentId: AGENT, to: 'ready', version: first.data!.version + 1, state: { kind: 'ready' } } }), { timeout: 5000 });
    // A change the desk did not ask for: a supervisor pauses the agent.
    expect((await post(h, `/acd/agents/${AGENT}/pause`, SUPERVISOR, { reason: 'meeting' })).status).toBe(200);
    await vi.waitFor(() => expect(messages.at(-1)).toMatchObject({ type: 'change', data: { to: 'not-ready', state: { kind: 'not-ready', reason: 'meeting' } } }), { timeout: 5000 });
    expect(messages.map((m) => m.type)).toEqual(['agent', 'change', 'change']);

    const audits = lines.filter((l) => l.audit === true && l.action === 'acd.agent.live');
    expect(audits).toEqual([expect.objectContaining({ actor: AGENT, role: 'agent', agentId: AGENT, status: 101 })]);
    expect(JSON.stringify(lines)).not.toContain(SELF);
  });

  it('changes made by a second instance sharing Redis arrive on the first one\'s socket', async () => {
    const keyPrefix = `test:agent-live:${randomUUID()}:`;
    const a = await service({ keyPrefix });
    const b = await service({ keyPrefix, simulator: a.sim });
    await a.service.acd!.desk.putOnRoster(AGENT, agentProfile('1001'));
    await post(a, `/acd/agents/${AGENT}/login`, SELF, { reason: 'lunch' });
    const onA = await connect(liveUrl(a, SELF));
    await vi.waitFor(() => expect(lastState(onA)).toBe('not-ready'), { timeout: 5000 });

    expect((await post(b, `/acd/agents/${AGENT}/ready`, SELF)).status).toBe(200);
    await vi.waitFor(() => expect(onA.at(-1)).toMatchObject({ type: 'change', data: { to: 'ready' } }), { timeout: 5000 });
    expect((await post(b, `/acd/agents/${AGENT}/pause`, SELF, { reason: 'training' })).status).toBe(200);
    await vi.waitFor(() => expect(onA.at(-1)).toMatchObject({ type: 'change', data: { to: 'not-ready', state: { reason: 'training' } } }), { timeout: 5000 });
    // And the other way round, on B's socket.
    const onB = await connect(liveUrl(b, SUPERVISOR));
    await vi.waitFor(() => expect(lastState(onB)).toBe('not-ready'), { timeout: 5000 });
    expect((await post(a, `/acd/agents/${AGENT}/ready`, SELF)).status).toBe(200);
    await vi.waitFor(() => expect(onB.at(-1)).toMatchObject({ type: 'change', data: { to: 'ready' } }), { timeout: 5000 });
    // The figures follow too: A reads them again when B makes a change (its onChange fires on such reads only, never on its tick).
    const pushedOnA: Array<{ agentList?: Array<{ id: string; state: { kind: string } }> }> = [];
    a.service.acd!.stats.onChange((snapshot) => pushedOnA.push(snapshot));
    expect((await post(b, `/acd/agents/${AGENT}/pause`, SELF, { reason: 'meeting' })).status).toBe(200);
    await vi.waitFor(() => expect(pushedOnA.at(-1)?.agentList).toEqual([expect.objectContaining({ id: AGENT, state: expect.objectContaining({ kind: 'not-ready', reason: 'meeting' }) })]), { timeout: 5000 });
    // Versions arrive in order, each once.
    const versions = onA.map((m) => (m.type === 'change' ? m.data.version : m.data?.version));
    expect(versions).toEqual([...versions].sort((x, y) => x! - y!));
    expect(new Set(versions).size).toBe(versions.length);
  });
});
