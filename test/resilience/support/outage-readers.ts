/**
 * Readers for the Redis-outage tests: a counter from /metrics, what /readyz and /healthz say,
 * the 110 leg a caller was bridged with, where the service sent a channel on in the dialplan
 * and with which variables, and a
 * guard that notes every unhandled rejection of the test process.
 */
import type { Harness } from '../../support/service-harness.js';

export async function metricValue(h: Harness, name: string): Promise<number> {
  const text = await (await fetch(`${h.service.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return Number(line?.split(' ').at(-1) ?? 0);
}

export interface Readiness {
  status: number;
  checks: Record<string, { ok: boolean; reason?: string }>;
}

export async function readiness(h: Harness): Promise<Readiness> {
  const res = await fetch(`${h.service.url}/readyz`);
  const body = (await res.json()) as { checks: Readiness['checks'] };
  return { status: res.status, checks: body.checks };
}

export async function healthStatus(h: Harness): Promise<number> {
  return (await fetch(`${h.service.url}/healthz`)).status;
}

interface SimChannel {
  id: string;
  name: string;
  caller: { number: string };
}

/** The 110 leg bridged with the caller in an emergency bridge, if there is one now. */
export function emergencyLegOf(h: Harness, channelId: string): SimChannel | undefined {
  const bridge = h.sim.bridges().find((b) => String(b.id).startsWith('emg-') && (b.channels as string[]).includes(channelId));
  const other = (bridge?.channels as string[] | undefined)?.find((id) => id !== channelId);
  return h.sim.channels().find((c) => c.id === other) as SimChannel | undefined;
}

/** The variables set on each channel, last value of each, from one pass over the simulator's events. */
export function channelVars(h: Harness): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const { event } of h.sim.events()) {
    const channel = (event.channel as { id?: string } | undefined)?.id;
    if (event.type !== 'ChannelVarset' || !channel) continue;
    out.set(channel, { ...out.get(channel), [event.variable as string]: event.value as string });
  }
  return out;
}

/** A channel the service originated: the endpoint dialled and the caller id it was given. */
export interface Originated {
  endpoint: string;
  callerId: string;
}

/**
 * What the service asked of the simulator per channel: where it continued a channel in the
 * dialplan (`context/extension`, in order), the channels it originated and how often it
 * started music on hold on a channel. The simulator
 * keeps only its latest 1000 requests, so under load they are read every 50 ms into maps of
 * their own; each request is taken once (by its identity in the log).
 */
export function watchRequests(h: Pick<Harness, 'sim'>): { continuedTo(channelId: string): string[]; originated(channelId: string): Originated | undefined; musicStarted(channelId: string): number; stop(): void } {
  const seen = new WeakSet<object>();
  const continues = new Map<string, string[]>();
  const originates = new Map<string, Originated>();
  const music = new Map<string, number>();
  const read = (): void => {
    for (const r of h.sim.requests()) {
      if (seen.has(r)) continue;
      seen.add(r);
      if (r.method !== 'POST') continue;
      const continued = /^\/channels\/([^/]+)\/continue$/.exec(r.path);
      if (continued) continues.set(continued[1]!, [...(continues.get(continued[1]!) ?? []), `${r.query.context}/${r.query.extension}`]);
      const moh = /^\/channels\/([^/]+)\/moh$/.exec(r.path);
      if (moh) music.set(moh[1]!, (music.get(moh[1]!) ?? 0) + 1);
      const originate = /^\/channels(?:\/([^/]+))?$/.exec(r.path);
      const id = originate?.[1] ?? r.query.channelId;
      if (originate && id && r.query.endpoint) originates.set(id, { endpoint: r.query.endpoint, callerId: r.query.callerId ?? '' });
    }
  };
  const timer = setInterval(read, 50);
  return {
    continuedTo(channelId) {
      read();
      return continues.get(channelId) ?? [];
    },
    originated(channelId) {
      read();
      return originates.get(channelId);
    },
    musicStarted(channelId) {
      read();
      return music.get(channelId) ?? 0;
    },
    stop: () => clearInterval(timer),
  };
}

/** Notes every unhandled rejection and uncaught exception while installed. */
export function processFaults(): { faults: unknown[]; remove(): void } {
  const faults: unknown[] = [];
  const note = (reason: unknown): void => void faults.push(reason);
  process.on('unhandledRejection', note);
  process.on('uncaughtException', note);
  return {
    faults,
    remove() {
      process.off('unhandledRejection', note);
      process.off('uncaughtException', note);
    },
  };
}
