/**
 * `/bridges` routes: create (no BridgeCreated event for ARI bridges), destroy, add and
 * remove channels, play and record into the bridge.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { addToBridge, createBridge, destroyBridge, leaveBridge } from '../model/bridges.js';
import { isRecording } from '../model/recordings.js';
import type { SimBridge } from '../model/types.js';
import { snapshotBridge, type World } from '../model/world.js';
import { list, message, noContent, notFound, ok, parseQuery, ReplyError, route, type Reply, type Route } from './kit.js';
import { play, record } from './media.js';

const CreateQuery = z.object({
  type: z.string().optional(),
  bridgeId: z.string().max(128).optional(),
  name: z.string().max(128).optional(),
});

function create(world: World, query: URLSearchParams, forcedId?: string): Reply {
  const q = parseQuery(CreateQuery, query);
  const id = forcedId ?? q.bridgeId ?? randomUUID();
  const existing = world.bridges.get(id);
  if (existing) return ok(snapshotBridge(existing));
  const flags = (q.type ?? 'mixing').split(',');
  const known = ['mixing', 'holding', 'dtmf_events', 'proxy_media', 'video_sfu', 'video_single', 'sdp_label'];
  if (flags.some((f) => !known.includes(f))) throw new ReplyError(message(400, 'Invalid bridge type'));
  const type = flags.includes('holding') ? 'holding' : 'mixing';
  // An ARI bridge follows no app of its own: its events reach the apps of the channels in
  // it, or apps that subscribe to it, so two apps (two service instances) never hear each
  // other's bridges.
  return ok(snapshotBridge(createBridge(world, undefined, id, type, q.name ?? '')));
}

function bridgeOr404(world: World, id: string | undefined): SimBridge {
  const b = id === undefined ? undefined : world.bridges.get(id);
  if (!b) throw new ReplyError(notFound('Bridge'));
  return b;
}

const ChannelsQuery = z.object({
  channel: list.optional(),
  role: z.string().optional(),
  absorbDTMF: z.string().optional(),
  mute: z.string().optional(),
  inhibitConnectedLineUpdates: z.string().optional(),
});

function channelsOf(world: World, query: URLSearchParams) {
  const q = parseQuery(ChannelsQuery, query);
  if (!q.channel || q.channel.length === 0) throw new ReplyError(message(400, 'Missing parameter channel'));
  const chans = q.channel.map((id) => world.findChannel(id));
  if (chans.some((c) => !c)) throw new ReplyError(message(400, 'Channel not found'));
  return chans.map((c) => c!);
}

export const bridgeRoutes: Route[] = [
  route('GET', '/bridges', ({ world }) => ok([...world.bridges.values()].map(snapshotBridge))),
  route('POST', '/bridges', ({ world, query }) => create(world, query)),
  route('POST', '/bridges/{bridgeId}', ({ world, query, params }) => create(world, query, params.bridgeId)),
  route('GET', '/bridges/{bridgeId}', ({ world, params }) => ok(snapshotBridge(bridgeOr404(world, params.bridgeId)))),
  route('DELETE', '/bridges/{bridgeId}', ({ world, params }) => {
    destroyBridge(world, bridgeOr404(world, params.bridgeId));
    return noContent();
  }),
  route('POST', '/bridges/{bridgeId}/addChannel', ({ world, params, query }) => {
    const b = bridgeOr404(world, params.bridgeId);
    const chans = channelsOf(world, query);
    if (chans.some((c) => !c.stasisApp)) throw new ReplyError(message(422, 'Channel not in Stasis application'));
    const recording = chans.find((c) => isRecording(world, c.id));
    if (recording) throw new ReplyError(message(409, `Channel ${recording.id} currently recording`));
    addToBridge(world, b, chans, parseQuery(ChannelsQuery, query).role);
    return noContent();
  }),
  route('POST', '/bridges/{bridgeId}/removeChannel', ({ world, params, query }) => {
    const b = bridgeOr404(world, params.bridgeId);
    const chans = channelsOf(world, query);
    if (chans.some((c) => c.bridgeId !== b.id)) throw new ReplyError(message(422, 'Channel not in this bridge'));
    for (const ch of chans) leaveBridge(world, ch);
    return noContent();
  }),
  route('POST', '/bridges/{bridgeId}/play', ({ world, params, query }) => play(world, `bridge:${bridgeOr404(world, params.bridgeId).id}`, query)),
  route('POST', '/bridges/{bridgeId}/play/{playbackId}', ({ world, params, query }) =>
    play(world, `bridge:${bridgeOr404(world, params.bridgeId).id}`, query, params.playbackId)),
  route('POST', '/bridges/{bridgeId}/record', ({ world, params, query }) => record(world, `bridge:${bridgeOr404(world, params.bridgeId).id}`, query)),
  // MOH takes the bridge's announcer slot; with an announcer channel there it plays nothing (s13).
  route('POST', '/bridges/{bridgeId}/moh', ({ world, params }) => {
    const b = bridgeOr404(world, params.bridgeId);
    b.announcerSlot ??= { kind: 'moh' };
    return noContent();
  }),
  route('DELETE', '/bridges/{bridgeId}/moh', ({ world, params }) => {
    const b = bridgeOr404(world, params.bridgeId);
    if (b.announcerSlot?.kind !== 'moh') throw new ReplyError(message(409, "Bridge isn't playing music"));
    b.announcerSlot = undefined;
    return noContent();
  }),
];
