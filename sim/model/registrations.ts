/**
 * SIP registrations and endpoint subscriptions. An agent's endpoint has a contact only
 * while its softphone is registered; Asterisk refuses to allocate a channel to an endpoint
 * without one (500 `Allocation failed`, s12). Apps subscribed to `endpoint:PJSIP/<name>`
 * hear registration changes (EndpointStateChange, PeerStatusChange, ContactStatusChange, s11)
 * and every event of that endpoint's channels a second time (s12 case f).
 */
import type { SimChannel } from './types.js';
import type { World } from './world.js';

export interface Registration {
  /** `registered` with a contact, `unregistered` after a logout (REGISTER Expires: 0). */
  state: 'registered' | 'unregistered';
  uri: string;
}

export const endpointSource = (name: string) => `endpoint:PJSIP/${name}`;

/** Whether an endpoint can be dialled: a static contact, or a registered one. */
export function hasContact(world: World, name: string): boolean {
  const config = world.opts.endpoints.get(name);
  if (config?.staticContact) return true;
  return world.registrations.get(name)?.state === 'registered';
}

/**
 * Whether an originate may allocate a channel to the endpoint. A behaviour rule set for an
 * endpoint that never registered nor logged out stands for a phone that is there.
 */
export function dialable(world: World, name: string, findsRule: boolean): boolean {
  return hasContact(world, name) || (findsRule && !world.registrations.has(name));
}

export function endpointSnapshot(world: World, name: string): Record<string, unknown> {
  const channel_ids = [...world.channels.values()].filter((c) => c.endpoint === name && !c.hangup).map((c) => c.id);
  const online = hasContact(world, name) || channel_ids.length > 0;
  return { technology: 'PJSIP', resource: name, state: online ? 'online' : 'offline', channel_ids };
}

/** Apps subscribed to the endpoint (or to every PJSIP endpoint). */
export function endpointWatchers(world: World, name: string): Set<string> {
  const apps = new Set<string>();
  for (const [app, sources] of world.subscriptions) {
    if (sources.has(endpointSource(name)) || sources.has('endpoint:PJSIP')) apps.add(app);
  }
  return apps;
}

export function channelWatchers(world: World, ch: SimChannel): Set<string> {
  return ch.endpoint === undefined ? new Set() : endpointWatchers(world, ch.endpoint);
}

export function emitEndpointState(world: World, name: string): void {
  const watchers = endpointWatchers(world, name);
  if (watchers.size > 0) world.hub.emit(watchers, 'EndpointStateChange', { endpoint: endpointSnapshot(world, name) });
}

/** A softphone registers its contact (REGISTER with Expires > 0). */
export function register(world: World, name: string, uri = `sip:${name}@127.0.0.1:5062`): void {
  const before = world.registrations.get(name);
  world.registrations.set(name, { state: 'registered', uri });
  if (before?.state === 'registered') return;
  announce(world, name, 'Reachable', uri, 'NonQualified');
}

/** A softphone logs out (REGISTER Contact: *, Expires: 0): the contact is removed. */
export function unregister(world: World, name: string): void {
  const before = world.registrations.get(name);
  world.registrations.set(name, { state: 'unregistered', uri: before?.uri ?? '' });
  if (before?.state !== 'registered') return;
  announce(world, name, 'Unreachable', before.uri, 'Removed');
}

function announce(world: World, name: string, peerStatus: string, uri: string, contactStatus: string): void {
  const watchers = endpointWatchers(world, name);
  if (watchers.size === 0) return;
  const endpoint = endpointSnapshot(world, name);
  world.hub.emit(watchers, 'EndpointStateChange', { endpoint });
  world.hub.emit(watchers, 'PeerStatusChange', { endpoint, peer: { peer_status: peerStatus } });
  world.hub.emit(watchers, 'ContactStatusChange', {
    endpoint, contact_info: { uri, contact_status: contactStatus, aor: name, roundtrip_usec: '0' },
  });
}
