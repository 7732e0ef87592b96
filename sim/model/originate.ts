/**
 * Outbound channels: `POST /channels` (originate), `POST /channels/create` and
 * `POST /channels/{id}/dial`. A Local channel is a pair: `;1` is what the REST call returns,
 * `;2` runs the dialplan at exten@context; when `;2` answers, `;1` goes to the app (or the
 * dialplan target). Originating into an app subscribes it to both halves, so it also hears
 * their dialplan steps and ChannelDestroyed; `create` subscribes it to `;1` only.
 */
import { randomUUID } from 'node:crypto';
import { runDialplan } from '../dialplan.js';
import { createChannel, enterStasis, hangupChannel } from './channels.js';
import { CAUSES, emitDial, ringingControls, runOutcome, type DialMode } from './dial-outcome.js';
import { answeredFormat, behaviourFor, findRule, type ResolvedEndpoint } from './endpoints.js';
import type { CallerId, SimChannel } from './types.js';
import { channelWatchers, endpointSnapshot } from './registrations.js';
import { snapshotChannel, type World } from './world.js';

type Resolved = Extract<ResolvedEndpoint, { ok: true }>;

export interface OriginateParams {
  endpoint: Resolved;
  app?: string;
  appArgs: string[];
  context?: string;
  extension?: string;
  priority?: number;
  callerId?: CallerId;
  timeoutSec: number;
  channelId?: string;
  otherChannelId?: string;
  variables: Record<string, string>;
}

const OUTGOING = { app_name: 'AppDial2', app_data: '(Outgoing Line)' };

/** Builds the channel(s) for an endpoint; for Local returns `;1` with its `;2` attached. */
function build(world: World, p: OriginateParams, forCreate: boolean): SimChannel {
  const ep = p.endpoint;
  const app = forCreate ? { app_name: '', app_data: '' } : OUTGOING;
  if (ep.tech === 'Local') {
    const n = world.nextName('local');
    const base = `Local/${ep.exten}@${ep.context}-${n}`;
    const caller = p.callerId ?? { name: '', number: '' };
    const one = createChannel(world, {
      id: p.channelId, name: `${base};1`, tech: 'Local', state: 'Down', caller, connected: caller,
      dialplan: { context: ep.context, exten: ep.exten, priority: 1, ...app },
    });
    const two = createChannel(world, {
      // Asterisk names the ;2 half after the ;1 id it was given (`<channelId>;2`).
      id: p.otherChannelId ?? (p.channelId !== undefined ? `${p.channelId};2` : undefined), name: `${base};2`, tech: 'Local', state: 'Ring', caller, connected: caller,
      dialplan: { context: ep.context, exten: ep.exten, priority: 1, app_name: '', app_data: '' },
    });
    one.half = 1;
    two.half = 2;
    one.partner = two;
    two.partner = one;
    one.dialstring = ep.dialstring;
    return one;
  }
  // A caller id with only a number keeps the endpoint's callerid name (s11).
  const caller = p.callerId ? { name: p.callerId.name || ep.config.callerId.name, number: p.callerId.number } : ep.config.callerId;
  const ch = createChannel(world, {
    id: p.channelId, name: `PJSIP/${ep.endpoint}-${world.nextName('pjsip')}`, tech: 'PJSIP', state: 'Down',
    caller, connected: { name: '', number: p.callerId?.number ?? '' },
    protocolId: randomUUID(), dialplan: { context: ep.config.context, exten: 's', priority: 1, ...app },
    language: ep.config.language, format: answeredFormat(ep.config, findRule(world.endpointRules, ep.full)?.behaviour),
  });
  ch.endpoint = ep.endpoint;
  ch.dialstring = ep.dialstring;
  return ch;
}

const peaks = new WeakMap<World, Map<string, number>>();

/** The most channels of a PJSIP endpoint (a trunk) alive at once since the simulator started: what the carrier would have counted. */
export function outboundPeak(world: World, endpoint: string): number {
  return peaks.get(world)?.get(endpoint) ?? 0;
}

/** `POST /channels`: returns the new channel; what follows happens asynchronously. */
export function originate(world: World, p: OriginateParams): SimChannel {
  const ch = build(world, p, false);
  if (ch.endpoint !== undefined) notePeak(world, ch.endpoint);
  for (const [k, v] of Object.entries(p.variables)) ch.vars.set(k, v);
  if (p.app) {
    ch.subs.add(p.app);
    ch.partner?.subs.add(p.app);
  }
  const enterTarget = () => {
    if (p.app) {
      if (!enterStasis(world, ch, p.app, p.appArgs, false)) hangupChannel(world, ch, null);
    } else {
      runDialplan(world, ch, { context: p.context ?? 'default', exten: p.extension ?? 's', priority: p.priority ?? 1 });
    }
  };
  world.clock.after(1, () => {
    if (ch.hangingUp) return;
    if (p.endpoint.tech === 'Local') startLocal(world, ch, p, 'originate', enterTarget);
    else {
      announceToEndpointWatchers(world, ch, p);
      emitDial(world, ch, '');
      ringFarEnd(world, ch, p, 'originate', p.timeoutSec * 1000, enterTarget);
    }
  });
  return ch;
}

/**
 * A softphone registered over WebSocket is really called (its SIP answers decide); any
 * other endpoint follows its scripted behaviour.
 */
function ringFarEnd(world: World, ch: SimChannel, p: OriginateParams, mode: DialMode, timeoutMs: number, onAnswer: () => void): void {
  const ep = p.endpoint;
  if (ep.tech !== 'PJSIP') return;
  const softphone = ep.dialstring === ep.endpoint && world.softphones?.reaches(ep.endpoint) ? world.softphones : undefined;
  runOutcome(world, ch, softphone ? { kind: 'softphone' } : behaviourFor(world.endpointRules, ep.full), mode, timeoutMs, onAnswer);
  const controls = ringingControls(ch);
  if (softphone && controls) softphone.dial(ch, controls);
}

/** Channels only grow at an originate, so counting there catches every peak. */
function notePeak(world: World, endpoint: string): void {
  let live = 0;
  for (const other of world.channels.values()) if (other.endpoint === endpoint) live += 1;
  let byEndpoint = peaks.get(world);
  if (!byEndpoint) peaks.set(world, (byEndpoint = new Map()));
  byEndpoint.set(endpoint, Math.max(byEndpoint.get(endpoint) ?? 0, live));
}

/**
 * Apps subscribed to the endpoint see the channel being set up, which the originating app
 * does not: the endpoint's new channel, its creation with the endpoint's own caller id,
 * the dial location, the caller id and connected line given, the originate variables (s12 f).
 */
function announceToEndpointWatchers(world: World, ch: SimChannel, p: OriginateParams): void {
  const watchers = channelWatchers(world, ch);
  if (watchers.size === 0 || ch.endpoint === undefined) return;
  const ep = p.endpoint as Extract<Resolved, { tech: 'PJSIP' }>;
  const now = snapshotChannel(ch);
  const noLine = { name: '', number: '' };
  const created = { ...now, caller: { ...ep.config.callerId }, connected: noLine };
  const emit = (type: string, fields: Record<string, unknown>, pre: Record<string, unknown> = {}) =>
    world.hub.emit(watchers, type, fields, pre);
  emit('EndpointStateChange', { endpoint: endpointSnapshot(world, ch.endpoint) });
  emit('ChannelCreated', { channel: { ...created, dialplan: { ...ch.dialplan, app_name: '', app_data: '' } } });
  emit('ChannelDialplan', { dialplan_app: ch.dialplan.app_name, dialplan_app_data: ch.dialplan.app_data, channel: created });
  if (p.callerId) {
    emit('ChannelCallerId', {
      caller_presentation: 0, caller_presentation_txt: 'Presentation Allowed, Not Screened', channel: { ...now, connected: noLine },
    });
    emit('ChannelConnectedLine', { channel: now });
  }
  for (const [variable, value] of Object.entries(p.variables)) emit('ChannelVarset', { channel: now }, { variable, value });
}

function startLocal(world: World, one: SimChannel, p: OriginateParams, mode: 'originate' | 'dial', onAnswer: () => void): void {
  const two = one.partner!;
  const ep = p.endpoint as Extract<Resolved, { tech: 'Local' }>;
  if (!ep.exists) {
    // No such extension: both halves die at once with cause 0, and no Dial is reported.
    const unknown = { cause: 0, cause_txt: 'Unknown' };
    one.hangingUp = two.hangingUp = true;
    for (const ch of [two, one]) {
      ch.dialplan = ch === two ? ch.dialplan : ch.restDialplan;
      world.emitChannel(ch, 'ChannelDestroyed', { cause: unknown.cause, cause_txt: unknown.cause_txt });
      ch.hangup = unknown;
      world.channels.delete(ch.id);
    }
    return;
  }
  if (mode === 'originate' && p.callerId) {
    world.emitChannel(two, 'ChannelCallerId', { caller_presentation: 0, caller_presentation_txt: 'Presentation Allowed, Not Screened' });
    world.emitChannel(two, 'ChannelConnectedLine');
  }
  emitDial(world, one, '');
  const cancelTimeout = world.clock.after(p.timeoutSec * 1000, () => {
    if (one.state === 'Up' || one.hangingUp) return;
    const cause = { cause: 19, cause_txt: 'User alerting, no answer' };
    hangupChannel(world, one, mode === 'dial' ? { cause: 32, soft: true } : null, cause);
  });
  one.onAnswered = () => {
    cancelTimeout();
    emitDial(world, one, 'ANSWER');
    onAnswer();
  };
  runDialplan(world, two, { context: ep.context, exten: ep.exten, priority: 1 });
}

/** `POST /channels/create`: a channel that waits for `dial`, already subscribed to `app`. */
export function createForDial(world: World, p: OriginateParams & { app: string }): SimChannel {
  const ch = build(world, p, true);
  for (const [k, v] of Object.entries(p.variables)) ch.vars.set(k, v);
  ch.subs.add(p.app);
  pendingDials.set(ch, p);
  return ch;
}

const pendingDials = new WeakMap<SimChannel, OriginateParams & { app: string }>();

export function isDialable(ch: SimChannel): boolean {
  return pendingDials.has(ch);
}

/** `POST /channels/{id}/dial`: the channel enters its app, then rings the far end. */
export function dial(world: World, ch: SimChannel, timeoutSec: number): void {
  const p = pendingDials.get(ch);
  if (!p) return;
  pendingDials.delete(ch);
  enterStasis(world, ch, p.app, p.appArgs, true);
  world.clock.after(1, () => {
    if (ch.hangingUp) return;
    if (p.endpoint.tech === 'Local') {
      startLocal(world, ch, { ...p, timeoutSec }, 'dial', () => undefined);
      return;
    }
    emitDial(world, ch, '');
    ringFarEnd(world, ch, p, 'dial', timeoutSec * 1000, () => undefined);
  });
}

export { CAUSES };
