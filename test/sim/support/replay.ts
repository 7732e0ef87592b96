/**
 * Replays a recorded scenario against the simulator: the trace's REST requests in order,
 * over real HTTP, paced by `t_ms / speed` and never sent before the events that preceded
 * them in the recording have arrived on a real event WebSocket. Trace ids are mapped to the
 * simulator's by first appearance. Control steps stand in for what happened outside the
 * PBX (a SIP caller dialling, pressing keys, hanging up; Asterisk restarting).
 */
import WebSocket from 'ws';
import type { AriSimulator } from '../../../sim/index.js';
import { idsOf, type TraceEntry } from './trace.js';

export interface ControlStep {
  /** Runs just before the trace entry with this seq (after the events before it arrived). */
  beforeSeq: number;
  run: (sim: AriSimulator, id: (traceId: string) => string) => unknown;
}

export interface ReplayOptions {
  speed: number;
  user: string;
  pass: string;
  controls?: ControlStep[];
  /** Replays only entries with seq < untilSeq. */
  untilSeq?: number;
}

export interface ReplayResult {
  expected: Array<Record<string, unknown>>;
  actual: Array<Record<string, unknown>>;
  id: (traceId: string) => string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function replay(sim: AriSimulator, trace: TraceEntry[], o: ReplayOptions): Promise<ReplayResult> {
  const entries = trace.filter((e) => o.untilSeq === undefined || e.seq < o.untilSeq);
  const expected = entries.filter((e) => e.kind === 'ws_event').map((e) => e.event!);
  const handshake = entries.find((e) => e.kind === 'ws_handshake_request');
  const apps = new URL(`http://x${handshake?.path ?? '/ari/events?app=hotline'}`).searchParams.get('app') ?? 'hotline';
  const actual: Array<Record<string, unknown>> = [];
  const map = new Map<string, string>();
  const id = (t: string) => map.get(t) ?? t;
  const learn = (traceId: string, simId: string) => {
    if (!map.has(traceId)) map.set(traceId, simId);
  };

  let ws: WebSocket | undefined;
  let open = false;
  let closed = false;
  const connect = () => {
    const url = `${sim.url.replace('http', 'ws')}/ari/events?app=${apps}&api_key=${o.user}:${o.pass}`;
    const sock = new WebSocket(url);
    ws = sock;
    sock.on('open', () => (open = true));
    sock.on('message', (data) => {
      const event = JSON.parse(String(data)) as Record<string, unknown>;
      const i = actual.length;
      actual.push(event);
      const exp = expected[i];
      if (exp && exp.type === event.type) {
        const a = idsOf(exp);
        const b = idsOf(event);
        a.forEach((t, k) => b[k] !== undefined && learn(t, b[k]!));
      }
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      open = false;
      // Like ari-client: come back after 100 ms, until the scenario ends.
      if (!closed) setTimeout(connect, 100);
    });
  };
  connect();
  await until(() => open, 5000);

  const start = Date.now();
  let eventsBefore = 0;
  const controls = [...(o.controls ?? [])];
  for (const e of entries) {
    for (const c of controls.filter((x) => x.beforeSeq === e.seq)) {
      await until(() => actual.length >= eventsBefore, 5000);
      await c.run(sim, id);
    }
    if (e.kind === 'ws_event') {
      eventsBefore += 1;
      continue;
    }
    if (e.kind !== 'http_request' || !e.path || e.path.startsWith('/ari/api-docs')) continue;
    const wait = e.t_ms / o.speed - (Date.now() - start);
    if (wait > 0) await sleep(wait);
    await until(() => actual.length >= eventsBefore && open, 5000);
    const response = trace.find((r) => r.kind === 'http_response' && r.req_id === e.req_id);
    const withAuth = response?.status !== 401;
    const res = await send(sim, e.method!, mapPath(e.path, map), withAuth ? `${o.user}:${o.pass}` : undefined);
    learnFromBodies(response?.body, res.body, learn);
  }
  await until(() => actual.length >= expected.length, 8000);
  await sleep(Math.max(50, 300 / o.speed));
  closed = true;
  ws?.close();
  return { expected, actual, id };
}

async function send(sim: AriSimulator, method: string, path: string, auth?: string): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (auth) headers.authorization = `Basic ${Buffer.from(auth).toString('base64')}`;
  const res = await fetch(`${sim.url}${path}`, { method, headers });
  const type = res.headers.get('content-type') ?? '';
  const body = type.includes('json') ? ((await res.json()) as unknown) : await res.arrayBuffer();
  return { status: res.status, body };
}

/** Replaces trace ids in a path (plain or inside comma lists) with the simulator's. */
export function mapPath(path: string, map: Map<string, string>): string {
  let out = path;
  for (const [t, s] of [...map.entries()].sort((a, b) => b[0].length - a[0].length)) {
    out = out.split(t).join(s);
  }
  return out;
}

function learnFromBodies(traceBody: unknown, simBody: unknown, learn: (t: string, s: string) => void): void {
  if (Array.isArray(traceBody) && Array.isArray(simBody)) {
    traceBody.forEach((t, i) => learnFromBodies(t, simBody[i], learn));
    return;
  }
  const t = traceBody as { id?: unknown } | null;
  const s = simBody as { id?: unknown } | null;
  if (t && s && typeof t.id === 'string' && typeof s.id === 'string') learn(t.id, s.id);
}

export async function until(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) return;
    await sleep(5);
  }
}
