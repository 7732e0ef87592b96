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

const DIRECTIONS = ['none', 'both', 'out', 'in'] as const;
type Direction = (typeof DIRECTIONS)[number];
const SnoopQuery = z.object({
  spy: z.string().optional(),
  whisper: z.string().optional(),
  app: z.string().optional(),
  appArgs: z.string().optional(),
  snoopId: z.string().max(128).optional(),
});

function directionOf(value: string | undefined, what: 'spy' | 'whisper'): Direction {
  if (value === undefined) return 'none';
  if (!(DIRECTIONS as readonly string[]).includes(value)) throw new ReplyError(message(400, `Invalid direction specified for ${what}`));
  return value as Direction;
}

/**
 * `channels.snoopChannel`, with res_ari's checks in its order (s14): directions, then the
 * app, then the target, which need not be in an app. The snoop enters its app a moment
 * after the HTTP answer, so a bridges.addChannel sent with or right after it gets 422.
 */
function snoop(world: World, channelId: string | undefined, query: URLSearchParams, forcedId?: string): Reply {
  const q = parseQuery(SnoopQuery, query);
  const spy = directionOf(q.spy, 'spy');
  const whisper = directionOf(q.whisper, 'whisper');
  if (spy === 'none' && whisper === 'none') throw new ReplyError(message(400, 'Direction must be specified for at least spy or whisper'));
  if (!q.app) throw new ReplyError(message(400, 'Application name is required'));
  const target = channelId === undefined ? undefined : world.findChannel(channelId);
  if (!target || target.hangingUp) throw new ReplyError(message(404, 'Provided channel was not found'));
  const id = forcedId ?? q.snoopId;
  if (id && world.channels.has(id)) throw new ReplyError(message(409, 'Channel with given unique ID already exists'));
  const snoopChannel = createChannel(world, {
    id,
    name: `Snoop/${target.id}-${world.nextName('snoop')}`,
    tech: 'Snoop',
    state: 'Up',
    format: 'slin',
    dialplan: { context: 'default', exten: 's', priority: 1, app_name: '', app_data: '' },
  });
  snoopChannel.snoop = { target: target.id, spy, whisper };
  // Attaching the snoop's audiohook makes the target's bridge re-announce BRIDGEPEER (s4).
  const bridge = target.bridgeId ? world.bridges.get(target.bridgeId) : undefined;
  if (bridge) refreshPeers(world, bridge, true);
  const app = q.app;
  world.clock.after(1, () => {
    if (!snoopChannel.hangingUp) enterStasis(world, snoopChannel, app, q.appArgs ? q.appArgs.split(',') : [], false);
  });
  return ok(snapshotChannel(snoopChannel));
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
