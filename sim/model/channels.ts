/**
 * Channel lifecycle: creation, answer, Stasis entry and exit, and hangup with the exact
 * event cascade Asterisk 22 produces (see the traces s1-s7): who gets ChannelHangupRequest
 * with which cause, when StasisEnd and STASISSTATUS come, and which half of a Local pair
 * is destroyed first.
 */
import { leaveBridge, refreshPeers } from './bridges.js';
import { ANY_FORMAT } from './codecs.js';
import { failPlaybacksOf } from './playbacks.js';
import { finishRecordingsOf } from './recordings.js';
import { emitEndpointState } from './registrations.js';
import type { CallerId, DialplanLocation, HangupCause, SimChannel } from './types.js';
import type { World } from './world.js';

export interface NewChannel {
  id?: string;
  name: string;
  tech: SimChannel['tech'];
  state: SimChannel['state'];
  caller?: CallerId;
  connected?: CallerId;
  dialplan: DialplanLocation;
  protocolId?: string;
  /** Default `en`, as Asterisk's for a channel whose endpoint sets no language. */
  language?: string;
  /** Default: any (Local and other internal channels take whatever the far end needs). */
  format?: string;
}

export const NORMAL_CLEARING: HangupCause = { cause: 16, cause_txt: 'Normal Clearing' };

export function createChannel(world: World, spec: NewChannel): SimChannel {
  const ch: SimChannel = {
    id: spec.id ?? world.nextUniqueId(),
    name: spec.name,
    tech: spec.tech,
    state: spec.state,
    protocolId: spec.protocolId ?? '',
    caller: spec.caller ?? { name: '', number: '' },
    connected: spec.connected ?? { name: '', number: '' },
    dialplan: { ...spec.dialplan },
    restDialplan: { ...spec.dialplan },
    creationtime: world.now(),
    language: spec.language ?? 'en',
    format: spec.format ?? ANY_FORMAT,
    subs: new Set(),
    bridgePeer: '',
    bridgePvtCallId: '',
    wasBridged: false,
    vars: new Map(),
    runningDialplan: false,
    producesAudio: false,
    queuedDtmf: [],
    hangingUp: false,
    softEndSent: false,
  };
  world.channels.set(ch.id, ch);
  return ch;
}

export function setDialplan(ch: SimChannel, loc: Partial<DialplanLocation>): void {
  ch.dialplan = { ...ch.dialplan, ...loc };
}

export function setVar(world: World, ch: SimChannel, variable: string, value: string): void {
  ch.vars.set(variable, value);
  world.emitChannel(ch, 'ChannelVarset', {}, { variable, value });
}

/** Answers a channel; a Local half answering also answers its peer (`;2` answers `;1`). */
export function answerChannel(world: World, ch: SimChannel): void {
  if (ch.state === 'Up' || ch.hangup) return;
  ch.state = 'Up';
  world.emitChannel(ch, 'ChannelStateChange');
  const peer = ch.partner;
  if (peer && peer.state !== 'Up' && !peer.hangup) {
    peer.state = 'Up';
    world.emitChannel(peer, 'ChannelStateChange');
    const cb = peer.onAnswered;
    peer.onAnswered = undefined;
    cb?.();
  }
  const own = ch.onAnswered;
  ch.onAnswered = undefined;
  own?.();
}

/** Puts the channel into `app`; false when the app is not registered (Stasis fails). */
export function enterStasis(world: World, ch: SimChannel, app: string, args: string[], announce: boolean): boolean {
  if (!world.hub.isRegistered(app)) return false;
  setDialplan(ch, { app_name: 'Stasis', app_data: [app, ...args].join(',') });
  if (announce) world.emitChannel(ch, 'ChannelDialplan', { dialplan_app: 'Stasis', dialplan_app_data: ch.dialplan.app_data });
  setVar(world, ch, 'STASISSTATUS', '');
  ch.stasisApp = app;
  world.emitChannel(ch, 'StasisStart', { args });
  return true;
}

/** StasisEnd, then the STASISSTATUS the originating app still hears. */
export function leaveStasis(world: World, ch: SimChannel): void {
  if (!ch.stasisApp) return;
  world.emitChannel(ch, 'StasisEnd');
  ch.stasisApp = undefined;
  setVar(world, ch, 'STASISSTATUS', 'SUCCESS');
}

/** What a channel drops when it stops existing or leaves the app: bridge, media, Stasis. */
function unwind(world: World, ch: SimChannel): void {
  ch.cancelActivity?.();
  ch.cancelActivity = undefined;
  const bridge = ch.bridgeId ? world.bridges.get(ch.bridgeId) : undefined;
  // A channel that hangs up inside a bridge leaves its app following the bridge (s3, s11).
  if (bridge && ch.stasisApp) bridge.destroyNotice.add(ch.stasisApp);
  if (ch.bridgeId) leaveBridge(world, ch);
  finishRecordingsOf(world, `channel:${ch.id}`);
  failPlaybacksOf(world, `channel:${ch.id}`);
  if (ch.stasisApp) leaveStasis(world, ch);
  ch.queuedDtmf.length = 0;
}

function endOfLocalTwo(world: World, ch: SimChannel): void {
  if (ch.half === 2 && !ch.softEndSent) {
    ch.softEndSent = true;
    world.emitChannel(ch, 'ChannelHangupRequest', {}, { cause: 16, soft: true });
  }
}

/** Takes on a caller id waiting for the channel's next dialplan step; true when there was one. */
export function takePendingCaller(ch: SimChannel): boolean {
  if (!ch.pendingCaller) return false;
  ch.caller = ch.pendingCaller;
  ch.pendingCaller = undefined;
  return true;
}

export function announceCallerId(world: World, ch: SimChannel): void {
  world.emitChannel(ch, 'ChannelCallerId', { caller_presentation: 0, caller_presentation_txt: 'Presentation Allowed, Not Screened' });
}

function destroy(world: World, ch: SimChannel): void {
  // An originated channel shows its dial location again; others keep where they were, app blank.
  ch.dialplan = ch.restDialplan.app_name === 'AppDial2' ? { ...ch.restDialplan } : { ...ch.dialplan, app_name: '', app_data: '' };
  const cause = ch.hangup ?? NORMAL_CLEARING;
  const newCaller = takePendingCaller(ch);
  world.emitChannel(ch, 'ChannelDestroyed', {
    cause: cause.cause,
    cause_txt: cause.cause_txt,
    ...(cause.tech_cause !== undefined ? { tech_cause: cause.tech_cause } : {}),
  });
  world.channels.delete(ch.id);
  // A caller id a Local ;2 never reached a dialplan step to announce goes out last (s15).
  if (newCaller) announceCallerId(world, ch);
  if (ch.endpoint !== undefined) emitEndpointState(world, ch.endpoint);
}

export interface HangupRequest { cause?: number; soft?: boolean; tech_cause?: number }

/**
 * Hangs a channel up. `request` is the ChannelHangupRequest it announces (null for none);
 * `cause` is what ChannelDestroyed reports. A Local peer follows with cause 16.
 */
export function hangupChannel(world: World, ch: SimChannel, request: HangupRequest | null, cause: HangupCause = NORMAL_CLEARING): void {
  if (ch.hangingUp) return;
  ch.hangingUp = true;
  ch.onHangup?.();
  if (request) {
    if (ch.tech === 'PJSIP' && ch.state === 'Up') emitRtpQos(world, ch);
    world.emitChannel(ch, 'ChannelHangupRequest', {}, { ...request });
    if (request.cause === 16 && request.soft) ch.softEndSent = true;
  }
  unwind(world, ch);
  endOfLocalTwo(world, ch);
  const peer = ch.partner && !ch.partner.hangingUp ? ch.partner : undefined;
  if (peer) {
    peer.hangingUp = true;
    world.emitChannel(peer, 'ChannelHangupRequest', {}, { cause: 16 });
  }
  ch.hangup = cause;
  // A Local ;1 that never shared a bridge goes after its ;2 has finished (s13); one that
  // did is destroyed first (s3, s13, s14).
  const peerFirst = peer !== undefined && ch.half === 1 && !ch.wasBridged;
  if (!peerFirst) destroy(world, ch);
  if (peer) {
    unwind(world, peer);
    endOfLocalTwo(world, peer);
    peer.hangup = NORMAL_CLEARING;
    destroy(world, peer);
  }
  if (peerFirst) destroy(world, ch);
  if (ch.snoop?.bridged) detachSnoop(world, ch.snoop.target);
  endSnoopsOn(world, ch.id);
}

/**
 * A snoop cannot outlive the channel it spies on: its audiohook stops, its next read fails
 * and Asterisk hangs it up with no hangup request. Its recordings finish (`done`, the file
 * kept) and it leaves its app; a snoop gets no ChannelDestroyed (s4, s14).
 */
function endSnoopsOn(world: World, targetId: string): void {
  for (const snoop of [...world.channels.values()]) {
    if (snoop.snoop?.target === targetId && !snoop.hangingUp) hangupChannel(world, snoop, null);
  }
}

/**
 * Hanging up a snoop that had been in a bridge makes its target's bridge re-announce
 * BRIDGEPEER (s14); one that never was leaves it quiet (s4).
 */
function detachSnoop(world: World, targetId: string): void {
  const target = world.findChannel(targetId);
  const bridge = target?.bridgeId ? world.bridges.get(target.bridgeId) : undefined;
  if (bridge) refreshPeers(world, bridge, true);
}

/** A SIP channel's RTP statistics, set as variables just before it hangs up. */
function emitRtpQos(world: World, ch: SimChannel): void {
  const zeros = (names: string[], pad: string) => names.map((n) => `${pad}${n}=000.000000;`).join('');
  const stats: Array<[string, string]> = [
    ['RTPAUDIOQOS', 'ssrc=583097027;themssrc=0;lp=0;rxjitter=0.000000;rxcount=0;txjitter=0.000000;txcount=71;rlp=0;rtt=0.000000;rxmes=0.000000;txmes=0.000000'],
    ['RTPAUDIOQOSJITTER', zeros(['minrxjitter', 'maxrxjitter', 'avgrxjitter', 'stdevrxjitter', 'mintxjitter', 'maxtxjitter', 'avgtxjitter', 'stdevtxjitter'], '')],
    ['RTPAUDIOQOSLOSS', zeros(['minrxlost', 'maxrxlost', 'avgrxlost', 'stdevrxlost', 'mintxlost', 'maxtxlost', 'avgtxlost', 'stdevtxlost'], '  ')],
    ['RTPAUDIOQOSRTT', zeros(['minrtt', 'maxrtt', 'avgrtt', 'stdevrtt'], '     ')],
    ['RTPAUDIOQOSMES', zeros(['minrxmes', 'maxrxmes', 'avgrxmes', 'stdevrxmes', 'mintxmes', 'maxtxmes', 'avgtxmes', 'stdevtxmes'], '   ')],
  ];
  // The other party of a two-party bridge gets each one too, as `<name>BRIDGED` (s11).
  const bridge = ch.bridgeId ? world.bridges.get(ch.bridgeId) : undefined;
  const others = bridge?.channels.filter((id) => id !== ch.id) ?? [];
  const peer = others.length === 1 ? world.findChannel(others[0]!) : undefined;
  for (const [variable, value] of stats) {
    setVar(world, ch, variable, value);
    if (peer) setVar(world, peer, `${variable}BRIDGED`, value);
  }
}

/** Leaves Stasis without hanging up (continue, move): the channel stays alive. */
export function exitStasisAlive(world: World, ch: SimChannel): void {
  if (ch.bridgeId) leaveBridge(world, ch);
  failPlaybacksOf(world, `channel:${ch.id}`);
  if (!ch.stasisApp) return;
  world.emitChannel(ch, 'StasisEnd');
  ch.stasisApp = undefined;
}

/** Asterisk going down: every channel in an app hears a shutdown soft hangup (cause 4). */
export function shutdownChannels(world: World): void {
  for (const ch of [...world.channels.values()]) {
    if (!ch.stasisApp || ch.hangingUp) continue;
    world.emitChannel(ch, 'ChannelHangupRequest', {}, { cause: 4, soft: true });
    exitStasisAlive(world, ch);
  }
  for (const ch of world.channels.values()) ch.cancelActivity?.();
  world.channels.clear();
}
