/**
 * Event→command latency, measured inside an ARI application's process (the service or a
 * floor app) without touching its code: preloaded with `--import`, it notes when each
 * WebSocket frame arrives (the `message` emit of both `ws` copies: ari-client's ws@6 and the
 * top-level ws@8 the raw app uses) and when each REST request starts on its socket
 * (node:diagnostics_channel `http.client.request.start`).
 *
 * An event that asks for an answer (StasisStart, a DTMF key, a finished prompt) leaves its
 * arrival time against its channel; the first request afterwards naming that channel (in
 * the path, a `channel=` query, or a playback the channel owns) is its command, and the
 * difference one sample. So the figure holds the frame's parsing, ari-client's event
 * building, the application's handling and ari-client's request building, but not the wire.
 * StasisStart is also kept until the channel's answer request: the burst's figure. Each
 * sample is also split at the moment the request was made (OutgoingMessage.end): before it
 * the application's handling, after it the wait for a free socket to Asterisk.
 * An event with no command within STALE_MS is counted as unanswered, not as a sample.
 */
import dc from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';

const CAUSING = new Set(['StasisStart', 'ChannelDtmfReceived', 'PlaybackFinished']);
const STALE_MS = 5000;

interface Pending {
  at: number;
  type: string;
}

const pending = new Map<string, Pending>();
const answerPending = new Map<string, number>();
const playbackOwner = new Map<string, string>();
let samples: number[] = [];
/** The same samples by the event that caused them, to say which kind of event waits. */
let samplesByType: Record<string, number[]> = {};
/**
 * The part of each sample before the request was made (the application's handling), by
 * event: the rest is the wait for a free socket to Asterisk.
 */
let madeByType: Record<string, number[]> = {};
/** When each request still waiting for a socket was made (one destroyed before it got one is simply forgotten). */
const madeAt = new WeakMap<object, number>();
let answerSamples: number[] = [];
let unanswered = 0;
let frames = 0;
let requests = 0;
const lag = monitorEventLoopDelay({ resolution: 5 });
lag.enable();
let elu = performance.eventLoopUtilization();
/** Garbage-collection pauses (ms) since the last take: the loop stands still for each. */
let gcPauses: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push(entry.duration);
}).observe({ entryTypes: ['gc'] });

const TYPE = /"type":"(\w+)"/;
const CHANNEL = /"channel":\{[^{}]*?"id":"([^"]+)"/;
const TARGET = /"target_uri":"channel:([^"]+)"/;

function onFrame(data: unknown): void {
  const at = performance.now();
  frames++;
  const text = typeof data === 'string' ? data : String(data);
  const type = TYPE.exec(text)?.[1];
  if (!type || !CAUSING.has(type)) return;
  const id = (type === 'PlaybackFinished' ? TARGET.exec(text) : CHANNEL.exec(text))?.[1];
  if (!id) return;
  if (pending.has(id)) unanswered++;
  pending.set(id, { at, type });
  if (type === 'StasisStart') answerPending.set(id, at);
}

function channelsNamed(path: string): string[] {
  const [route = '', query = ''] = path.split('?');
  const ids: string[] = [];
  const parts = route.split('/');
  const channelAt = parts.indexOf('channels');
  if (channelAt >= 0 && parts[channelAt + 1]) ids.push(decodeURIComponent(parts[channelAt + 1]!));
  const playbackAt = parts.indexOf('playbacks');
  if (playbackAt >= 0 && parts[playbackAt + 1]) {
    const owner = playbackOwner.get(decodeURIComponent(parts[playbackAt + 1]!));
    if (owner) ids.push(owner);
  }
  const params = new URLSearchParams(query);
  for (const value of params.getAll('channel')) ids.push(...value.split(','));
  const playbackId = params.get('playbackId');
  if (playbackId && ids[0]) playbackOwner.set(playbackId, ids[0]);
  return ids;
}

function onRequest(method: string, path: string, made: number | undefined): void {
  const at = performance.now();
  requests++;
  for (const id of channelsNamed(path)) {
    const cause = pending.get(id);
    if (cause) {
      pending.delete(id);
      samples.push(at - cause.at);
      (samplesByType[cause.type] ??= []).push(at - cause.at);
      if (made !== undefined) (madeByType[cause.type] ??= []).push(Math.max(0, made - cause.at));
    }
    if (method === 'POST' && path.includes('/answer')) {
      const started = answerPending.get(id);
      if (started !== undefined) {
        answerPending.delete(id);
        answerSamples.push(at - started);
      }
    }
  }
}

function wrapEmit(proto: { emit: (...args: unknown[]) => boolean }): void {
  const original = proto.emit;
  proto.emit = function (this: unknown, event: unknown, ...rest: unknown[]) {
    if (event === 'message') onFrame(rest[0]);
    return original.call(this, event, ...rest);
  };
}

const require = createRequire(import.meta.url);
for (const name of ['ws', 'ari-client/node_modules/ws']) {
  try {
    wrapEmit(require(name).prototype);
  } catch {
    // Not installed in this layout: that copy cannot be in use either.
  }
}
dc.subscribe('http.client.request.start', (message) => {
  const { request } = message as { request: { method: string; path: string } };
  const made = madeAt.get(request);
  madeAt.delete(request);
  onRequest(request.method, request.path, made);
});
// A request is made (ended, with its body) before it waits for a socket: noted here.
const OutgoingMessage = (require('node:http') as { OutgoingMessage: { prototype: { end: (...args: unknown[]) => unknown } } }).OutgoingMessage;
const originalEnd = OutgoingMessage.prototype.end;
OutgoingMessage.prototype.end = function (this: { path?: string; socket?: unknown }, ...args: unknown[]) {
  if (this.path !== undefined && !this.socket) madeAt.set(this, performance.now());
  return originalEnd.apply(this, args);
};

export interface ProbeWindow {
  /** Event→command latencies (ms) since the last take. */
  latencies: number[];
  latenciesByType: Record<string, number[]>;
  /** Event→request made (before any wait for a socket), by event. */
  madeByType: Record<string, number[]>;
  /** StasisStart→answer request (ms) since the last take. */
  answers: number[];
  unanswered: number;
  frames: number;
  requests: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  gcPausesMs: number[];
  eventLoopUtilization: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  heapUsed: number;
  rss: number;
}

let cpu = process.cpuUsage();

/** Everything measured since the previous take, and resets it. */
export function takeWindow(): ProbeWindow {
  const now = performance.now();
  for (const [id, p] of pending) {
    if (now - p.at > STALE_MS) {
      pending.delete(id);
      unanswered++;
    }
  }
  for (const [id, at] of answerPending) if (now - at > STALE_MS) answerPending.delete(id);
  if (playbackOwner.size > 50_000) playbackOwner.clear();
  const used = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  const nextElu = performance.eventLoopUtilization();
  const window: ProbeWindow = {
    latencies: samples,
    latenciesByType: samplesByType,
    madeByType,
    answers: answerSamples,
    unanswered,
    frames,
    requests,
    lagP50Ms: lag.percentile(50) / 1e6,
    lagP99Ms: lag.percentile(99) / 1e6,
    lagMaxMs: lag.max / 1e6,
    gcPausesMs: gcPauses,
    eventLoopUtilization: performance.eventLoopUtilization(nextElu, elu).utilization,
    cpuUserMs: used.user / 1000,
    cpuSystemMs: used.system / 1000,
    heapUsed: process.memoryUsage().heapUsed,
    rss: process.memoryUsage().rss,
  };
  elu = nextElu;
  samples = [];
  samplesByType = {};
  madeByType = {};
  gcPauses = [];
  answerSamples = [];
  unanswered = 0;
  frames = 0;
  requests = 0;
  lag.reset();
  return window;
}
