/**
 * The supervisors' live view over a real server and a real WebSocket client: the figures at
 * once and after each change, the token taken from the query and kept out of every log
 * line, 401 without a token, 403 for an agent.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { AcdConfigSchema } from '../../src/acd/index.js';
import { createAcdStats, type AcdStats, type LiveSnapshot } from '../../src/acd/stats/index.js';
import { ApiAuth } from '../../src/http/auth.js';
import { acdLiveRoutes } from '../../src/http/routes/acd-live.js';
import { buildHttpServer } from '../../src/http/server.js';
import { routingConfig } from '../acd/support.js';
import { createTestLogger } from '../support/test-logger.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();
const SUPERVISOR = 'wallboard-token-0000000001';
const AGENT = 'seat-token-00000000000001';

interface Live {
  app: FastifyInstance;
  stats: AcdStats;
  base: string;
  lines: Array<Record<string, unknown>>;
}
let live: Live | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  live?.stats.stop();
  await live?.app.close();
  live = undefined;
});

/**
 * Stands for any later hook that logs a request's URL and query (a request logger, an error
 * line): what it sees after the route's own onRequest hooks must not hold the token.
 */
const urlLogger: FastifyPluginAsync = async (app) => {
  const seen = async (request: FastifyRequest) => request.log.info({ url: request.url, query: request.query, rawUrl: request.raw.url }, 'request seen');
  app.addHook('preHandler', seen);
  app.addHook('onResponse', seen);
};
// Its hooks apply to the whole server, as fastify-plugin would make them.
(urlLogger as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

async function startLive(pushEveryMs = 60_000, store: Redis = redis): Promise<Live> {
  const lines: Array<Record<string, unknown>> = [];
  const log = createTestLogger({ stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }, level: 'debug' });
  const stats = createAcdStats({
    redis: store,
    keys: `test:acd-live:${randomUUID()}:`,
    config: AcdConfigSchema.parse(routingConfig),
    log,
    registry: new Registry(),
    sampleEveryMs: 60_000,
    notifyDebounceMs: 10,
  });
  const auth = new ApiAuth(
    [
      { name: 'wallboard', role: 'supervisor', token: SUPERVISOR },
      { name: 'seat-1', role: 'agent', token: AGENT },
    ],
    log,
  );
  const app = await buildHttpServer({ log, plugins: [urlLogger, acdLiveRoutes({ stats, auth, pushEveryMs })] });
  app.addHook('onClose', async () => auth.flush());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { app, stats, base: `127.0.0.1:${port}`, lines };
}

type Message = { type: 'snapshot'; data: LiveSnapshot } | { type: 'unavailable'; error_id: string; message: string };

/** A client keeping every message; resolves once open. */
function connect(url: string, headers: Record<string, string> = {}): Promise<{ socket: WebSocket; messages: Message[] }> {
  const socket = new WebSocket(url, { headers });
  sockets.push(socket);
  const messages: Message[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Message));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, messages }));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

/** The status a refused upgrade answers, and its body. */
function refusal(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const socket = new WebSocket(url, { headers });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('open', () => reject(new Error('the upgrade was accepted')));
    socket.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += String(chunk)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    socket.once('error', () => undefined);
  });
}

describe('GET /acd/live', () => {
  it('sends the figures at once, and again soon after a change', async () => {
    live = await startLive();
    const { messages } = await connect(`ws://${live.base}/acd/live?access_token=${SUPERVISOR}`);
    await vi.waitFor(() => expect(messages.length).toBeGreaterThan(0), { timeout: 5000 });
    expect(messages[0]).toMatchObject({ type: 'snapshot', data: { centre: { offered: 0 }, queues: { general: { offered: 0 } } } });

    // pushEveryMs is a minute: the next message comes from the change.
    await live.stats.recorder.queued('general', Date.now());
    await vi.waitFor(() => expect(messages.at(-1)).toMatchObject({ type: 'snapshot', data: { queues: { general: { offered: 1 } } } }), { timeout: 5000 });
  });

  it('pushes every pushEveryMs without a change', async () => {
    live = await startLive(50);
    const { messages } = await connect(`ws://${live.base}/acd/live`, { authorization: `Bearer ${SUPERVISOR}` });
    await vi.waitFor(() => expect(messages.length).toBeGreaterThanOrEqual(3), { timeout: 5000 });
    expect(new Set(messages.map((m) => m.type))).toEqual(new Set(['snapshot']));
  });

  it('401 without a token or with a wrong one, 403 for an agent', async () => {
    live = await startLive();
    expect(await refusal(`ws://${live.base}/acd/live`)).toEqual({ status: 401, body: expect.objectContaining({ error_id: 'unauthorized' }) });
    expect(await refusal(`ws://${live.base}/acd/live?access_token=not-a-token-at-all`)).toMatchObject({ status: 401 });
    expect(await refusal(`ws://${live.base}/acd/live?access_token=${AGENT}`)).toEqual({ status: 403, body: expect.objectContaining({ error_id: 'forbidden' }) });
  });

  it('keeps the query token out of every log line', async () => {
    live = await startLive();
    await connect(`ws://${live.base}/acd/live?access_token=${SUPERVISOR}&view=wall`);
    await refusal(`ws://${live.base}/acd/live?access_token=${AGENT}`);
    await live.app.close();
    const text = JSON.stringify(live.lines);
    expect(live.lines).toContainEqual(expect.objectContaining({ audit: true, actor: 'wallboard', action: 'acd.live' }));
    expect(live.lines).toContainEqual(expect.objectContaining({ actor: 'seat-1', outcome: 'forbidden' }));
    // The hooks after the guard saw the requests, the other query parameters, never the token.
    expect(live.lines).toContainEqual(expect.objectContaining({ msg: 'request seen', url: '/acd/live?view=wall', query: { view: 'wall' } }));
    expect(live.lines).toContainEqual(expect.objectContaining({ msg: 'request seen', url: '/acd/live' }));
    expect(text).not.toContain(SUPERVISOR);
    expect(text).not.toContain(AGENT);
  });
});

describe('GET /acd/stats', () => {
  it('answers the figures as JSON for a supervisor, 401 without a token, 403 for an agent', async () => {
    live = await startLive();
    const ok = await live.app.inject({ method: 'GET', url: '/acd/stats', headers: { authorization: `Bearer ${SUPERVISOR}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ centre: { waiting: 0, serviceLevelPercent: null }, queues: { general: { offered: 0 }, leaders: { offered: 0 } } });
    expect((await live.app.inject({ method: 'GET', url: '/acd/stats' })).statusCode).toBe(401);
    expect((await live.app.inject({ method: 'GET', url: '/acd/stats', headers: { authorization: `Bearer ${AGENT}` } })).statusCode).toBe(403);
  });

  it('is in the OpenAPI document with its figures and the guard\'s answers', async () => {
    live = await startLive();
    const doc = (await live.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, { get?: { responses: Record<string, unknown> } }> };
    const responses = doc.paths['/acd/stats']?.get?.responses ?? {};
    expect(Object.keys(responses).sort()).toEqual(['200', '401', '403', '429', '503']);
    expect(JSON.stringify(responses['200'])).toContain('serviceLevelPercent');
  });
});

describe('before Redis ever answered', () => {
  it('GET /acd/stats answers 503 store-unavailable; the live view says it is unavailable and stays open', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => undefined);
    try {
      live = await startLive(60_000, dead);
      const res = await live.app.inject({ method: 'GET', url: '/acd/stats', headers: { authorization: `Bearer ${SUPERVISOR}` } });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error_id: 'store-unavailable' });
      const { socket, messages } = await connect(`ws://${live.base}/acd/live?access_token=${SUPERVISOR}`);
      await vi.waitFor(() => expect(messages).toEqual([expect.objectContaining({ type: 'unavailable', error_id: 'store-unavailable' })]), { timeout: 5000 });
      expect(socket.readyState).toBe(WebSocket.OPEN);
    } finally {
      dead.disconnect();
    }
  });
});
