/**
 * Readers and moves for whole-call ACD scenarios, on top of acd-calls.ts: logging agents in
 * at a chosen instant (idle times are login times), callers who skip the menu (priority
 * callers), what an agent went through, whom a call was offered to, and what the simulator
 * saw on a channel (media heard, variables set, the dialplan it continued in).
 */
import type { EndpointBehaviour } from '../../../sim/index.js';
import { AgentDesk, type AgentState } from '../../../src/acd/index.js';
import type { CallRecord } from '../../../src/calls/call-record.js';
import type { DomainEventOf } from '../../../src/calls/index.js';
import { afterEach } from 'vitest';
import { eventually, type Harness, type HarnessOptions } from '../../support/service-harness.js';
import { agentProfile, callIdOf, eventsOf, queuedEvent, useAcdCalls, type EditConfig } from './acd-calls.js';

/**
 * useAcdCalls, with every call hung up and ended before the service closes: a service shut
 * down with a caller still waiting or an agent's phone being answered is another scenario.
 */
export function useAcdScenarios(): (edit?: EditConfig, options?: HarnessOptions) => Promise<Harness> {
  const start = useAcdCalls();
  let running: Harness[] = [];
  // Registered after useAcdCalls' own: runs before it closes the services.
  afterEach(async () => {
    await Promise.all(running.map(endEveryCall));
    running = [];
  });
  return async (edit, options) => {
    const h = await start(edit, options);
    running.push(h);
    return h;
  };
}

async function endEveryCall(h: Harness): Promise<void> {
  for (const channel of h.sim.channels()) {
    try {
      h.sim.hangupFromCaller(channel.id as string);
    } catch {
      // gone meanwhile
    }
  }
  await eventually(() => h.service.calls.size === 0 && h.sim.channels().length === 0, 10_000, 'every call ended');
  // The agents' moves after a call (ready, wrap-up) are stored before Redis is closed.
  const ringing = async (): Promise<boolean> =>
    h.service.acd!.desk.list().then((agents) => agents.some((a) => a.state.kind === 'ringing' || a.state.kind === 'on-call'), () => false);
  const deadline = Date.now() + 5000;
  while ((await ringing()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/** Logs an agent in with its softphone registered to do `phone` when called. */
export async function agentAt(
  h: Harness,
  agentId: string,
  endpoint: string,
  phone: EndpointBehaviour,
  skills: Record<string, number> = { general: 5 },
): Promise<void> {
  h.sim.registerEndpoint(endpoint, { phone });
  await h.service.acd!.desk.login({ id: agentId, ...agentProfile(endpoint, skills) });
}

/**
 * The service's desk with a clock stopped at `at`: agents logged in through it share one
 * idle-since instant, so only their levels tell them apart.
 */
export function deskAt(h: Harness, at: number): AgentDesk {
  const { core, engine } = h.service.acd!;
  return new AgentDesk({ store: core.agents, redis: core.redis, keys: core.keys, changed: (event) => engine.changed(event), now: () => at });
}

/** The agent's full state as stored. */
export async function stateOf(h: Harness, agentId: string): Promise<AgentState | undefined> {
  return (await h.service.acd!.desk.get(agentId))?.state;
}

/** Every state the agent went to, in order, as published. */
export function agentMoves(h: Harness, agentId: string): string[] {
  return h.events.flatMap((e) => (e.type === 'agent.state-changed' && e.data.agentId === agentId ? [e.data.to] : []));
}

/** The agents whose phones rang for the call, in order. */
export function offeredTo(h: Harness, callId: string): string[] {
  return eventsOf(h, callId, 'call.offered').map((e) => e.data.agentId);
}

/** A caller the IVR knows as a priority caller: after the announcements, straight to the agent queue. */
export async function priorityCallToQueue(h: Harness, from: string): Promise<string> {
  const channel = h.sim.placeCall({ from, dialled: '12345' });
  await eventually(() => queuedEvent(h, channel.id) !== undefined, 10_000, 'priority call queued');
  return channel.id;
}

/** The call.queued events of the call on this channel, in order (a call moved by the overflow has several). */
export function queuedOn(h: Harness, channelId: string): Array<DomainEventOf<'call.queued'>> {
  return eventsOf(h, callIdOf(h, channelId), 'call.queued');
}

/** Waits until the agent's phone rings for the call on this channel. */
export async function untilOffered(h: Harness, channelId: string, agentId: string, timeoutMs = 8000): Promise<void> {
  const callId = callIdOf(h, channelId);
  await eventually(() => offeredTo(h, callId).includes(agentId), timeoutMs, `call offered to ${agentId}`);
}

/**
 * Waits until the caller on this channel talks to an agent (caller and agent bridged, the
 * answer on the record) and returns the call's queue note. The agent shows on-call a
 * moment before: the bridge is made after the agent's state is stored.
 */
export async function untilAnswered(h: Harness, channelId: string, timeoutMs = 8000): Promise<NonNullable<CallRecord['queue']>> {
  await eventually(() => h.service.calls.session(channelId)?.record.queue?.result === 'answered', timeoutMs, 'caller answered by an agent');
  return h.service.calls.session(channelId)!.record.queue!;
}

/** The agent's ringing leg for a call: the offer channels in the simulator, newest last. */
export function offerLegs(h: Harness, callId: string): string[] {
  return h.sim
    .channels()
    .map((c) => c.id as string)
    .filter((id) => id.startsWith(`offer-${callId}-`));
}

/** Every media item the channel heard begin, in order. */
export { played as heardOn } from '../../ivr/support/sim-call.js';

/** The channel variables set on the channel, last value of each. */
export function varsOn(h: Harness, channelId: string): Record<string, string> {
  return Object.fromEntries(
    h.sim
      .events()
      .filter((e) => e.event.type === 'ChannelVarset' && (e.event.channel as { id?: string } | undefined)?.id === channelId)
      .map((e) => [e.event.variable as string, e.event.value as string]),
  );
}

/** Where the channel was sent on in the dialplan (`context/extension`), in order. */
export function continuedTo(h: Harness, channelId: string): string[] {
  return h.sim
    .requests()
    .filter((r) => r.method === 'POST' && r.path === `/channels/${channelId}/continue`)
    .map((r) => `${r.query.context}/${r.query.extension}`);
}
