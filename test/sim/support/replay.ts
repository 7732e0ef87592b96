/**
 * Replays a recorded scenario against the simulator: the trace's REST requests in order,
 * over real HTTP, each sent at its recorded moment (`t_ms`) on the simulator's own clock and
 * never before the events that preceded it in the recording have arrived on a real event
 * WebSocket. Trace ids are mapped to the simulator's by first appearance. Control steps
 * stand in for what happened outside the PBX (a SIP caller dialling, pressing keys, hanging
 * up; Asterisk restarting).
 *
 * The simulator runs on a ManualClock that moves only here: between two requests it is
 * stepped through every happening due before the next one, earliest first, and after each
 * step the replay waits until the events that step sent have arrived (a ping answered by
 * the simulator comes back behind them). How busy the machine is changes how long a replay
 * takes, never the order of what it sees.
 */
import { vi } from 'vitest';
import WebSocket from 'ws';
import type { AriSimulator, ManualClock } from '../../../sim/index.js';
import { idsOf, type TraceEntry } from './trace.js';

export interface ControlStep {
  /** Runs just before the trace entry with this seq (after the events before it arrived). */
  beforeSeq: number;
  run: (sim: AriSimulator, id: (traceId: string) => string) => unknown;
}

export interface ReplayOptions {
  /** The clock the simulator was started with. */
  clock: ManualClock;
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

/** Real-time bound on anything the replay waits for (a frame in flight, a reconnect). */
const WAIT_MS = 5000;

export async function replay(sim: AriSimulator, trace: TraceEntry[], o: ReplayOptions): Promise<ReplayResult> {
  const entries = trace.filter((e) => o.untilSeq === undefined || e.seq < o.untilSeq);
  const expected = entries.filter((e) => e.kind === 'ws_event').map((e) => e.event!);
  const handshake = entries.find((e) => e.kind === 'ws_handshake_request');
  const apps = new URL(`http://x${handshake?.path ?? '/ari/events?app=hotline'}`).searchParams.get('app') ?? 'hotline';
  const map = new Map<string, string>();
  const id = (t: string) => map.get(t) ?? t;
  const learn = (traceId: string, simId: string) => {
    if (!map.has(traceId)) map.set(traceId, simId);
  };
  const events = new TraceClient(`${sim.url.replace('http', 'ws')}/ari/events?app=${apps}&api_key=${o.user}:${o.pass}`, (event, i) => {
    const exp = expected[i];
    if (exp && exp.type === event.type) {
      const b = idsOf(event);
      idsOf(exp).forEach((t, k) => b[k] !== undefined && learn(t, b[k]!));
    }
  });
  const { clock } = o;

  /**
   * Brings the replay to simulated time `at` with `count` events received: every happening
   * due by then runs, and when the recording had events by then that the simulator only
   * sends later, time moves on to them (a request never goes out before the events it
   * followed in the recording). `open`: the event socket must be up too.
   */
  const reach = async (at: number, count: number, open: boolean, where: string): Promise<void> => {
    const ready = () => events.actual.length >= count && (!open || events.open);
    for (;;) {
      await events.settled();
      const due = clock.nextDue();
      if (due !== undefined && due <= at) clock.step();
      else if (ready()) break;
      else if (due !== undefined) clock.step();
      // Nothing is scheduled in the simulator: only the outside world (a reconnect) can help.
      else await vi.waitFor(() => {
        if (!ready()) throw new Error(`${where}: ${events.describe(expected, count)}${open && !events.open ? ', event socket down' : ''}`);
      }, { timeout: WAIT_MS, interval: 5 });
    }
    clock.advanceTo(at);
  };

  try {
    await events.connected();
    let eventsBefore = 0;
    const controls = [...(o.controls ?? [])];
    for (const e of entries) {
      for (const c of controls.filter((x) => x.beforeSeq === e.seq)) {
        // Outside happenings carry no time of their own: they come as soon as the events before them.
        await reach(clock.now(), eventsBefore, false, `before control at seq ${e.seq}`);
        await c.run(sim, id);
      }
      if (e.kind === 'ws_event') {
        eventsBefore += 1;
        continue;
      }
      if (e.kind !== 'http_request' || !e.path || e.path.startsWith('/ari/api-docs')) continue;
      await reach(e.t_ms, eventsBefore, true, `before request seq ${e.seq}`);
      const response = trace.find((r) => r.kind === 'http_response' && r.req_id === e.req_id);
      const withAuth = response?.status !== 401;
      const res = await send(sim, e.method!, mapPath(e.path, map), withAuth ? `${o.user}:${o.pass}` : undefined, e.body);
      learnFromBodies(response?.body, res.body, learn);
    }
    // Up to the end of the recording: whatever the simulator sends by then is compared too.
    await reach(entries.at(-1)?.t_ms ?? clock.now(), expected.length, false, 'at the end of the recording');
    await events.settled();
  } finally {
    events.close();
  }
  return { expected, actual: events.actual, id };
}

/** The replay's event WebSocket: reconnects like ari-client, and answers "has everything sent arrived?". */
class TraceClient {
  readonly actual: Array<Record<string, unknown>> = [];
  open = false;
  private ws: WebSocket | undefined;
  private closed = false;

  constructor(private readonly url: string, private readonly onEvent: (event: Record<string, unknown>, index: number) => void) {
    this.connect();
  }

  async connected(): Promise<void> {
    await vi.waitFor(() => {
      if (!this.open) throw new Error(`event WebSocket not open within ${WAIT_MS} ms`);
    }, { timeout: WAIT_MS, interval: 5 });
  }

  /**
   * Resolves once every frame the simulator sent before now has arrived: its pong travels
   * behind them on the same socket. A socket that is down has nothing in flight.
   */
  settled(): Promise<void> {
    const ws = this.ws;
    if (!ws || !this.open) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        ws.off('pong', onPong);
        ws.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onPong = () => done();
      const onClose = () => done();
      const timer = setTimeout(() => done(new Error(`the simulator did not answer a ping within ${WAIT_MS} ms`)), WAIT_MS);
      ws.on('pong', onPong);
      ws.on('close', onClose);
      ws.ping();
    });
  }

  describe(expected: Array<Record<string, unknown>>, count: number): string {
    const types = (list: Array<Record<string, unknown>>) => list.map((e) => String(e.type)).join(', ');
    return `expected ${count} events [${types(expected.slice(0, count))}], received ${this.actual.length} [${types(this.actual)}]`;
  }

  close(): void {
    this.closed = true;
    this.ws?.close();
  }

  private connect(): void {
    const sock = new WebSocket(this.url);
    this.ws = sock;
    sock.on('open', () => (this.open = true));
    sock.on('message', (data) => {
      const event = JSON.parse(String(data)) as Record<string, unknown>;
      this.actual.push(event);
      this.onEvent(event, this.actual.length - 1);
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      this.open = false;
      // Like ari-client: come back after 100 ms, until the scenario ends.
      if (!this.closed) setTimeout(() => this.connect(), 100);
    });
  }
}

async function send(sim: AriSimulator, method: string, path: string, auth?: string, requestBody?: unknown): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (auth) headers.authorization = `Basic ${Buffer.from(auth).toString('base64')}`;
  // Originate's `variables` travel as a JSON body, as ari-client sends them.
  const json = requestBody !== undefined && requestBody !== null && method !== 'GET' ? JSON.stringify(requestBody) : undefined;
  if (json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sim.url}${path}`, { method, headers, body: json });
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
