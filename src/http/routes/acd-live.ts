/**
 * The supervisors' live view of the ACD, per queue and for the centre:
 *   GET /acd/live    WebSocket: `{type:'snapshot', data}` at once, then every `pushEveryMs`
 *                    and soon after each change the ACD reports (AcdStats.notify)
 *   GET /acd/stats   the same figures once, as JSON
 * Both answer from memory (the last figures read from Redis in the background).
 *
 * A browser cannot set headers on a WebSocket, so /acd/live also takes the bearer token as
 * `?access_token=`: it is moved to the Authorization header before the guard runs, and taken
 * out of the request's URL and query so that no log line, error or audit line can carry it.
 * A header, when sent, wins.
 */
import websocket from '@fastify/websocket';
import type { FastifyPluginAsync, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { LiveSnapshotSchema, type AcdStats, type LiveSnapshot } from '../../acd/stats/index.js';
import { actorOf, type ApiAuth } from '../auth.js';
import { HTTP_ERRORS, HttpProblem } from '../errors.js';

export interface AcdLiveRouteOptions {
  stats: Pick<AcdStats, 'snapshot' | 'refresh' | 'onChange'>;
  auth: Pick<ApiAuth, 'require'>;
  /** How often a connected wallboard gets the figures without a change (default 2000 ms). */
  pushEveryMs?: number;
}

/** A wallboard this far behind in reading is skipped until it catches up. */
const MAX_BUFFERED_BYTES = 1_048_576;
const TOKEN_PARAM = 'access_token';

export function acdLiveRoutes(options: AcdLiveRouteOptions): FastifyPluginAsync {
  const { stats, auth, pushEveryMs = 2000 } = options;
  const guard = auth.require('supervisor');

  /** The figures now; one read first when none was read yet (Redis away since the start: 503). */
  async function current(): Promise<LiveSnapshot> {
    if (!stats.snapshot()) await stats.refresh();
    const snapshot = stats.snapshot();
    if (!snapshot) throw new HttpProblem(HTTP_ERRORS.storeUnavailable, 'the ACD figures have not been read from Redis yet; retry later');
    return snapshot;
  }

  return async (app) => {
    // Registered once per server: a second registration would route every upgrade twice.
    if (!app.hasDecorator('websocketServer')) await app.register(websocket);
    const typed = app.withTypeProvider<ZodTypeProvider>();

    typed.get(
      '/acd/stats',
      { onRequest: guard, schema: { response: { 200: LiveSnapshotSchema } }, config: { audit: 'acd.stats' } },
      async () => current(),
    );

    const liveSchema = {
      description: 'WebSocket: the figures as `{type:"snapshot",data}` at once, every 2 s and after each change; `{type:"unavailable"}` while none were read. A browser passes its bearer token as `access_token`.',
      querystring: z.looseObject({ access_token: z.string().optional() }),
    };
    app.get('/acd/live', { websocket: true, onRequest: [tokenFromQuery, guard], schema: liveSchema, config: { audit: 'acd.live' } }, async (socket, request) => {
      const actor = actorOf(request);
      request.log.info({ audit: true, actor: actor.name, role: actor.role, via: actor.via, action: 'acd.live', status: 101 }, 'operator API access');
      const send = (snapshot: LiveSnapshot | null): void => {
        if (!snapshot || socket.readyState !== socket.OPEN || socket.bufferedAmount > MAX_BUFFERED_BYTES) return;
        socket.send(JSON.stringify({ type: 'snapshot', data: snapshot }));
      };
      const timer = setInterval(() => send(stats.snapshot()), pushEveryMs);
      const unsubscribe = stats.onChange(send);
      socket.on('close', () => {
        clearInterval(timer);
        unsubscribe();
      });
      await sendFirst(socket, current, send);
    });
  };
}

async function sendFirst(socket: WebSocket, current: () => Promise<LiveSnapshot>, send: (s: LiveSnapshot) => void): Promise<void> {
  try {
    send(await current());
  } catch (err) {
    // Not read yet: say so; the pushes follow once Redis answers.
    const message = err instanceof HttpProblem ? err.message : 'the ACD figures are not available';
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'unavailable', error_id: HTTP_ERRORS.storeUnavailable.errorId, message }));
  }
}

/** `?access_token=` → `Authorization: Bearer`, then gone from the URL and the parsed query. */
export const tokenFromQuery: onRequestAsyncHookHandler = async (request: FastifyRequest) => {
  const url = request.raw.url ?? '';
  const at = url.indexOf('?');
  if (at < 0) return;
  const params = new URLSearchParams(url.slice(at + 1));
  const token = params.get(TOKEN_PARAM);
  if (token === null) return;
  params.delete(TOKEN_PARAM);
  const rest = params.toString();
  request.raw.url = url.slice(0, at) + (rest ? `?${rest}` : '');
  const query = request.query as Record<string, unknown> | undefined;
  if (query && typeof query === 'object') delete query[TOKEN_PARAM];
  if (!request.headers.authorization && token) request.headers.authorization = `Bearer ${token}`;
};
