/**
 * `/playbacks` routes: get, stop (the playback finishes `done`), control.
 */
import { z } from 'zod';
import { stopPlayback } from '../model/playbacks.js';
import { snapshotPlayback, type World } from '../model/world.js';
import { message, noContent, notFound, ok, parseQuery, ReplyError, route, type Route } from './kit.js';

function playbackOr404(world: World, id: string | undefined) {
  const p = id === undefined ? undefined : world.playbacks.get(id);
  if (!p) throw new ReplyError(notFound('Playback'));
  return p;
}

export const playbackRoutes: Route[] = [
  route('GET', '/playbacks/{playbackId}', ({ world, params }) => ok(snapshotPlayback(playbackOr404(world, params.playbackId)))),
  route('DELETE', '/playbacks/{playbackId}', ({ world, params }) => {
    stopPlayback(world, playbackOr404(world, params.playbackId));
    return noContent();
  }),
  route('POST', '/playbacks/{playbackId}/control', ({ world, params, query }) => {
    const q = parseQuery(z.object({ operation: z.enum(['restart', 'pause', 'unpause', 'reverse', 'forward']).optional() }), query);
    if (!q.operation) throw new ReplyError(message(400, 'Missing parameter operation'));
    playbackOr404(world, params.playbackId);
    return noContent();
  }),
];
