/**
 * Channel media routes: play, record, DTMF and snoop.
 */
import { z } from 'zod';
import { createChannel, enterStasis } from '../model/channels.js';
import { refreshPeers } from '../model/bridges.js';
import { DTMF_DIGITS, sendDtmf } from '../model/dtmf.js';
import { snapshotChannel, type World } from '../model/world.js';
import { stasisChannel } from './guards.js';
import { int, message, noContent, ok, parseQuery, ReplyError, route, type Reply, type Route } from './kit.js';
import { play, record } from './media.js';

const DtmfQuery = z.object({
  dtmf: z.string().optional(),
  before: int(0, 60_000).optional(),
  between: int(0, 60_000).optional(),
  duration: int(0, 60_000).optional(),
  after: int(0, 60_000).optional(),
});

const direction = z.enum(['none', 'both', 'out', 'in']);
const SnoopQuery = z.object({
  spy: direction.optional(),
  whisper: direction.optional(),
  app: z.string().optional(),
  appArgs: z.string().optional(),
  snoopId: z.string().max(128).optional(),
});

function snoop(world: World, channelId: string | undefined, query: URLSearchParams, forcedId?: string): Reply {
  const q = parseQuery(SnoopQuery, query);
  if (!q.app) throw new ReplyError(message(400, 'Application must be specified'));
  if ((q.spy ?? 'none') === 'none' && (q.whisper ?? 'none') === 'none') {
    throw new ReplyError(message(400, 'Sanity check failed'));
  }
  const target = stasisChannel(world, channelId);
  const id = forcedId ?? q.snoopId;
  if (id && world.channels.has(id)) throw new ReplyError(message(409, 'Channel with given unique ID already exists'));
  const spy = createChannel(world, {
    id,
    name: `Snoop/${target.id}-${world.nextName('snoop')}`,
    tech: 'Snoop',
    state: 'Up',
    format: 'slin',
    dialplan: { context: 'default', exten: 's', priority: 1, app_name: '', app_data: '' },
  });
  // Attaching the snoop's audiohook makes the target's bridge re-announce BRIDGEPEER (s4).
  const bridge = target.bridgeId ? world.bridges.get(target.bridgeId) : undefined;
  if (bridge) refreshPeers(world, bridge, true);
  enterStasis(world, spy, q.app, q.appArgs ? q.appArgs.split(',') : [], false);
  return ok(snapshotChannel(spy));
}

export const channelMediaRoutes: Route[] = [
  route('POST', '/channels/{channelId}/play', ({ world, params, query }) => {
    const ch = stasisChannel(world, params.channelId);
    return play(world, `channel:${ch.id}`, query);
  }),
  route('POST', '/channels/{channelId}/play/{playbackId}', ({ world, params, query }) => {
    const ch = stasisChannel(world, params.channelId);
    return play(world, `channel:${ch.id}`, query, params.playbackId);
  }),
  route('POST', '/channels/{channelId}/record', ({ world, params, query }) => {
    const ch = stasisChannel(world, params.channelId);
    return record(world, `channel:${ch.id}`, query);
  }),
  route('POST', '/channels/{channelId}/dtmf', ({ world, params, query }) => {
    const q = parseQuery(DtmfQuery, query);
    if (!q.dtmf) throw new ReplyError(message(400, 'DTMF is required'));
    if (!DTMF_DIGITS.test(q.dtmf)) throw new ReplyError(message(400, 'Invalid DTMF digits'));
    const ch = stasisChannel(world, params.channelId);
    sendDtmf(world, ch, q.dtmf, q.between ?? 100, q.duration ?? 100, q.before ?? 0);
    return noContent();
  }),
  route('POST', '/channels/{channelId}/snoop', ({ world, params, query }) => snoop(world, params.channelId, query)),
  route('POST', '/channels/{channelId}/snoop/{snoopId}', ({ world, params, query }) => snoop(world, params.channelId, query, params.snoopId)),
];
