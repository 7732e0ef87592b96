/**
 * Reading recorded Asterisk traces (test/fixtures/traces/*.jsonl) and reducing their events
 * to the fields the service reads, with ids translated and per-run name counters masked,
 * so a simulator run and a recording can be compared for equality.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TraceEntry {
  seq: number;
  t_ms: number;
  kind: string;
  req_id?: number;
  method?: string;
  path?: string;
  status?: number;
  body?: unknown;
  event?: Record<string, unknown>;
  text?: string;
}

export function loadTrace(file: string): TraceEntry[] {
  const text = readFileSync(join(import.meta.dirname, '../../fixtures/traces', file), 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as TraceEntry);
}

/** Channel names carry per-process counters (`-0000000a`); they differ between runs. */
const maskCounters = (s: string) => s.replace(/-[0-9a-f]{8}\b/g, '-N');

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null ? (v as Obj) : undefined);

function channel(c: unknown, id: (s: string) => string): Obj | undefined {
  const ch = obj(c);
  if (!ch) return undefined;
  const dp = obj(ch.dialplan) ?? {};
  return {
    id: id(String(ch.id)),
    name: maskCounters(String(ch.name).replace(/^Snoop\/([^-]+)-/, (_m, target: string) => `Snoop/${id(target)}-`)),
    state: ch.state,
    caller: ch.caller,
    connected: ch.connected,
    dialplan: {
      context: dp.context, exten: dp.exten, priority: dp.priority, app_name: dp.app_name,
      // NoOp texts quote channel names; only Stasis arguments matter to the service.
      app_data: dp.app_name === 'Stasis' ? dp.app_data : undefined,
    },
  };
}

/** The comparable view of one event; `id` maps a trace id to the simulator's. */
export function project(e: Obj, id: (s: string) => string): Obj {
  const out: Obj = { type: e.type, application: e.application };
  for (const k of ['args', 'digit', 'cause', 'soft', 'cause_txt', 'tech_cause', 'dialstatus', 'dialstring', 'variable']) {
    if (e[k] !== undefined) out[k] = e[k];
  }
  if (e.value !== undefined) {
    const v = String(e.value);
    // RTP statistics are measurements; BRIDGEPEER lists names with counters; SIP Call-IDs are random.
    const variable = String(e.variable);
    if (variable.startsWith('RTPAUDIOQOS')) out.value = '<stats>';
    else if (variable === 'BRIDGEPVTCALLID' && v !== '') out.value = '<call-id>';
    else out.value = maskCounters(v);
  }
  if (e.channel) out.channel = channel(e.channel, id);
  if (e.peer) out.peer = channel(e.peer, id);
  const b = obj(e.bridge);
  if (b) out.bridge = { id: b.id, bridge_type: b.bridge_type, channels: (b.channels as string[]).map(id) };
  const p = obj(e.playback);
  if (p) out.playback = { id: p.id, state: p.state, media_uri: p.media_uri, next_media_uri: p.next_media_uri, target_uri: mapUri(p.target_uri, id) };
  const r = obj(e.recording);
  if (r) out.recording = { name: r.name, state: r.state, format: r.format, target_uri: mapUri(r.target_uri, id), duration: r.duration, cause: r.cause };
  return out;
}

function mapUri(uri: unknown, id: (s: string) => string): string {
  const s = String(uri);
  const i = s.indexOf(':');
  return `${s.slice(0, i)}:${id(s.slice(i + 1))}`;
}

/** Ids an event names, for learning the trace-to-simulator id map by first appearance. */
export function idsOf(e: Obj): string[] {
  const ids: string[] = [];
  for (const k of ['channel', 'peer', 'replace_channel']) {
    const c = obj(e[k]);
    if (c) ids.push(String(c.id));
  }
  return ids;
}
