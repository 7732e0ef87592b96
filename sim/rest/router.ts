/**
 * Dispatches `/ari/...` REST requests to the route tables and turns thrown ReplyErrors
 * into their replies, so a handler reads as the happy path.
 */
import type { World } from '../model/world.js';
import { bridgeRoutes } from './bridges.js';
import { channelMediaRoutes } from './channel-media.js';
import { channelRoutes } from './channels.js';
import { message, ReplyError, type Reply, type Route } from './kit.js';
import { playbackRoutes } from './playbacks.js';
import { recordingRoutes } from './recordings.js';
import { systemRoutes } from './system.js';

const ROUTES: Route[] = [...channelRoutes, ...channelMediaRoutes, ...bridgeRoutes, ...recordingRoutes, ...playbackRoutes, ...systemRoutes];

/** `path` is relative to `/ari` and undecoded. */
export function dispatch(world: World, method: string, path: string, query: URLSearchParams, body: unknown): Reply {
  let pathMatched = false;
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => {
      params[k] = decodeURIComponent(m[i + 1] ?? '');
    });
    try {
      return r.handler({ world, params, query, body });
    } catch (err) {
      if (err instanceof ReplyError) return err.reply;
      world.opts.log(`internal error on ${method} ${path}: ${String(err)}`);
      return message(500, 'Internal Server Error');
    }
  }
  return pathMatched ? message(405, 'Method not allowed') : message(404, 'Resource not found');
}
