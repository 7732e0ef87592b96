/**
 * Bridges: membership events, and the BRIDGEPEER variable Asterisk keeps on each member.
 *
 * A channel that joins a bridge it cannot exchange audio with is put in and thrown out again
 * (ChannelEnteredBridge then ChannelLeftBridge; it stays in Stasis), as bridge.c does when the
 * bridge technology refuses the join: with two parties (simple_bridge) their formats need a
 * translation path between them (`No path to translate from A to B`); with three or more
 * (softmix) each needs a path to signed linear.
 *
 * Asterisk refreshes BRIDGEPEER only while two or more parties (channels, or the Recorder
 * and Announcer pseudo channels of bridge recordings and playbacks) are in the bridge, and
 * clears it on the channel that leaves; the remaining member keeps a stale value. A bridge
 * created over ARI emits no BridgeCreated.
 */
import { audioFlowChanged } from './recordings.js';
import type { SimBridge, SimChannel } from './types.js';
import { snapshotBridge, snapshotChannel, type World } from './world.js';

export function createBridge(world: World, app: string | undefined, id: string, type: 'mixing' | 'holding', name: string): SimBridge {
  const b: SimBridge = {
    id,
    technology: type === 'holding' ? 'holding_bridge' : 'simple_bridge',
    bridge_type: type,
    bridge_class: 'stasis',
    creator: 'Stasis',
    name,
    channels: [],
    peerOrder: [],
    creationtime: world.now(),
    video_mode: 'talker',
    subs: new Set(app ? [app] : []),
    destroyNotice: new Set(),
  };
  world.bridges.set(id, b);
  return b;
}

function bridgeApps(world: World, b: SimBridge, ch?: SimChannel): Set<string> {
  const apps = new Set(b.subs);
  if (ch) for (const a of world.recipients(ch)) apps.add(a);
  for (const id of b.channels) {
    const member = world.channels.get(id);
    if (member?.stasisApp) apps.add(member.stasisApp);
  }
  return apps;
}

/** BRIDGEPEER as Asterisk lists it: recorder first, channels in join order, announcer last. */
/** Stands for the Recorder pseudo channel in `peerOrder`, where it takes its place like a channel (s15). */
const RECORDER = 'recorder:';

function peersOf(world: World, b: SimBridge, self: SimChannel): string {
  const names: string[] = [];
  for (const id of b.peerOrder) {
    if (id === RECORDER) {
      if (b.recorder) names.push(b.recorder);
      continue;
    }
    const ch = world.channels.get(id);
    if (ch && ch !== self) names.push(ch.name);
  }
  if (b.announcer) names.push(b.announcer);
  return names.join(',');
}

/** A party joining a bridge of two or more is listed first; otherwise last. */
function placeInPeerOrder(b: SimBridge, id: string): void {
  if (b.peerOrder.length >= 2) b.peerOrder.unshift(id);
  else b.peerOrder.push(id);
}

function partyCount(b: SimBridge): number {
  return b.channels.length + (b.recorder ? 1 : 0) + (b.announcer ? 1 : 0);
}

/** Updates BRIDGEPEER on every member; `force` re-announces unchanged values too. */
export function refreshPeers(world: World, b: SimBridge, force = false): void {
  // Holding bridge participants hear music, not each other: no peers (s13).
  if (partyCount(b) < 2 || b.bridge_type === 'holding') return;
  for (const id of b.peerOrder) {
    const ch = world.channels.get(id);
    if (!ch) continue;
    const value = peersOf(world, b, ch);
    if (!force && value === ch.bridgePeer) continue;
    ch.bridgePeer = value;
    world.emitChannel(ch, 'ChannelVarset', {}, { variable: 'BRIDGEPEER', value });
    // With exactly two parties Asterisk also names a SIP peer's Call-ID.
    const other = partyCount(b) === 2 ? world.channels.get(b.channels.find((c) => c !== id) ?? '') : undefined;
    if (other?.tech === 'PJSIP' && other.protocolId !== '' && other.protocolId !== ch.bridgePvtCallId) {
      ch.bridgePvtCallId = other.protocolId;
      world.emitChannel(ch, 'ChannelVarset', {}, { variable: 'BRIDGEPVTCALLID', value: other.protocolId });
    }
  }
}

/** A channel leaving a bridge has its bridge variables cleared (BRIDGEPEER first). */
function clearPeerVars(world: World, ch: SimChannel): void {
  if (ch.bridgePeer !== '') {
    ch.bridgePeer = '';
    world.emitChannel(ch, 'ChannelVarset', {}, { variable: 'BRIDGEPEER', value: '' });
  }
  if (ch.bridgePvtCallId !== '') {
    ch.bridgePvtCallId = '';
    world.emitChannel(ch, 'ChannelVarset', {}, { variable: 'BRIDGEPVTCALLID', value: '' });
  }
}

/**
 * Why `ch`, just pushed into `b`, cannot stay (undefined when its audio has a path). A
 * holding bridge has one announcer: a second one (the bridge's MOH holds the slot) is
 * thrown out again (s13).
 */
function joinRefusal(world: World, b: SimBridge, ch: SimChannel, role?: string): string | undefined {
  if (b.bridge_type === 'holding') {
    if (role !== 'announcer') return undefined;
    if (b.announcerSlot) return 'bridge_holding.c: Cannot have more than one announcer in a holding bridge';
    b.announcerSlot = { kind: 'channel', id: ch.id };
    return undefined;
  }
  const { translators } = world.opts;
  const members = b.channels.map((id) => world.channels.get(id)).filter((c): c is SimChannel => !!c);
  if (members.length === 2) {
    const other = members.find((m) => m !== ch);
    if (other && !(translators.canTranslate(ch.format, other.format) && translators.canTranslate(other.format, ch.format))) {
      return `channel.c: No path to translate from ${other.name} to ${ch.name}`;
    }
  } else if (members.length > 2 && !(translators.canTranslate(ch.format, 'slin') && translators.canTranslate('slin', ch.format))) {
    return `bridge_softmix.c: Unable to find a codec translation path: (${ch.format}) -> (slin) for ${ch.name}`;
  }
  return undefined;
}

export function addToBridge(world: World, b: SimBridge, chans: SimChannel[], role?: string): void {
  const joined: SimChannel[] = [];
  for (const ch of chans) {
    if (ch.bridgeId === b.id) continue;
    const old = ch.bridgeId ? world.bridges.get(ch.bridgeId) : undefined;
    if (old) leaveBridge(world, ch);
    ch.bridgeId = b.id;
    b.channels.push(ch.id);
    if (ch.snoop) ch.snoop.bridged = true;
    placeInPeerOrder(b, ch.id);
    world.hub.emit(bridgeApps(world, b, ch), 'ChannelEnteredBridge', { bridge: snapshotBridge(b), channel: snapshotChannel(ch) });
    const refusal = joinRefusal(world, b, ch, role);
    if (refusal) {
      world.warn(refusal);
      leaveBridge(world, ch);
      continue;
    }
    joined.push(ch);
  }
  retune(world, b);
  if (joined.length === 0) return;
  if (b.bridge_type === 'mixing' && b.channels.length >= 2) {
    for (const id of b.channels) {
      const member = world.channels.get(id);
      if (member) member.wasBridged = true;
    }
  }
  refreshPeers(world, b);
  exchangeConnectedLine(world, b);
  wakeMedia(world, b);
}

/** Two parties in a bridge learn each other's caller id as their connected line. */
function exchangeConnectedLine(world: World, b: SimBridge): void {
  // Only a two-party bridge does; a Recorder makes a third party until it goes (s15).
  if (b.channels.length !== 2 || partyCount(b) !== 2 || b.bridge_type === 'holding') return;
  const [a, c] = b.channels.map((id) => world.channels.get(id));
  if (!a || !c) return;
  const aConn = { ...c.caller };
  const cConn = { ...a.caller };
  // Observed order (s3, s4): the update that blanks a connected line goes out first;
  // otherwise the later-joined channel's update does.
  const updates = [[c, cConn], [a, aConn]] as const;
  const ordered = aConn.name === '' && aConn.number === '' ? [...updates].reverse() : updates;
  for (const [ch, conn] of ordered) {
    if (ch.connected.name === conn.name && ch.connected.number === conn.number) continue;
    ch.connected = conn;
    world.emitChannel(ch, 'ChannelConnectedLine');
    // A Local ;1 passes its new connected line through as the caller of its ;2 half.
    const two = ch.half === 1 ? ch.partner : undefined;
    if (two && !two.hangup) {
      two.pendingCaller = { ...conn };
    }
  }
}

/** Audio reaching a Local ;1 in a bridge ends a pending Answer() on its ;2 half. */
function wakeMedia(world: World, b: SimBridge): void {
  const members = b.channels.map((id) => world.channels.get(id)).filter((c): c is SimChannel => !!c);
  const audio = members.some((m) => m.partner?.producesAudio);
  if (!audio) return;
  for (const m of members) {
    const wake = m.partner?.onMedia;
    if (wake && m.partner) {
      m.partner.onMedia = undefined;
      world.clock.after(2, wake);
    }
  }
}

/**
 * A mixing bridge of three or more runs softmix, of two or fewer simple_bridge; the change
 * shows only after the join or leave that causes it (its own event still has the old one).
 */
function retune(world: World, b: SimBridge): void {
  if (b.bridge_type === 'mixing') b.technology = b.channels.length >= 3 ? 'softmix' : 'simple_bridge';
  audioFlowChanged(world, b.id);
}

export function leaveBridge(world: World, ch: SimChannel): void {
  const b = ch.bridgeId ? world.bridges.get(ch.bridgeId) : undefined;
  ch.bridgeId = undefined;
  if (!b) return;
  const slot = b.announcerSlot;
  if (slot?.kind === 'channel' && slot.id === ch.id) b.announcerSlot = undefined;
  clearPeerVars(world, ch);
  b.channels = b.channels.filter((id) => id !== ch.id);
  b.peerOrder = b.peerOrder.filter((id) => id !== ch.id);
  world.hub.emit(bridgeApps(world, b, ch), 'ChannelLeftBridge', { bridge: snapshotBridge(b), channel: snapshotChannel(ch) });
  retune(world, b);
  // Those left see their peers change while two parties remain (a Recorder counts, s15).
  refreshPeers(world, b);
}

/**
 * Destroys a bridge: members are re-announced, cleared, and leave last-joined first.
 * BridgeDestroyed goes only to apps still following the bridge (see `destroyNotice`): none
 * for a bridge no channel hung up in, unless subscribed (s13); destroying one with members
 * ends with their ChannelLeftBridge (s4).
 */
export function destroyBridge(world: World, b: SimBridge): void {
  const members = b.channels.map((id) => world.channels.get(id)).filter((c): c is SimChannel => !!c);
  if (members.length > 0) {
    // Two parties are re-announced, cleared, and leave last-joined first (s4); three or
    // more are cleared and leave in BRIDGEPEER order (s13).
    const multi = members.length > 2;
    const order = multi ? b.peerOrder.map((id) => world.channels.get(id)).filter((c): c is SimChannel => !!c) : members;
    if (!multi) refreshPeers(world, b, true);
    for (const ch of order) clearPeerVars(world, ch);
    for (const ch of multi ? order : [...members].reverse()) {
      ch.bridgeId = undefined;
      b.channels = b.channels.filter((id) => id !== ch.id);
      b.peerOrder = b.peerOrder.filter((id) => id !== ch.id);
      world.hub.emit(bridgeApps(world, b, ch), 'ChannelLeftBridge', { bridge: snapshotBridge(b), channel: snapshotChannel(ch) });
    }
  }
  audioFlowChanged(world, b.id);
  if (b.destroyNotice.size > 0) world.hub.emit(b.destroyNotice, 'BridgeDestroyed', { bridge: snapshotBridge(b) });
  world.bridges.delete(b.id);
}

/** A pseudo channel (Recorder/Announcer) joins or leaves: members' BRIDGEPEER changes. */
export function setPseudoMember(world: World, b: SimBridge, role: 'recorder' | 'announcer', name: string | undefined): void {
  b[role] = name;
  if (role === 'recorder') {
    b.peerOrder = b.peerOrder.filter((id) => id !== RECORDER);
    if (name) placeInPeerOrder(b, RECORDER);
  }
  refreshPeers(world, b);
  if (!name) exchangeConnectedLine(world, b);
}
