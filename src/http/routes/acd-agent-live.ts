/**
 * An agent's desk kept up to date by push rather than by polling:
 *   GET /acd/agents/:agentId/live   WebSocket (the agent itself, or a supervisor)
 *     {type:'agent', data: AgentView | null}   at once, and whenever the whole view is read
 *                                             again (a gap in the versions, a missed message)
 *     {type:'change', data: agent.state-changed with the new state}   each change as it happens,
 *                                             made on this instance or on another one
 *     {type:'unavailable', error_id, message} the view could not be read (Redis away)
 * Changes come from the ACD's live changes (src/acd/live-changes): every instance's agent
 * changes, in version order per agent. A change whose version is not the next one is not
 * sent as such: the view is read again and sent whole, so the desk never holds a state older
 * than one it showed. One audit line per connection; a browser passes its bearer token as
 * `?access_token=` (the wallboard's hook, acd-live.ts).
 */
import websocket from '@fastify/websocket';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { AgentDesk, AgentStateChanged } from '../../acd/index.js';
import { AgentId } from '../../acd/ids.js';
import type { LiveChanges } from '../../acd/live-changes/index.js';
import { actorOf, type ApiAuth } from '../auth.js';
import { HTTP_ERRORS } from '../errors.js';
import { requireSelfOrSupervisor } from './acd-agents.js';
import { tokenFromQuery } from './acd-live.js';

export interface AcdAgentLiveRouteOptions {
  desk: Pick<AgentDesk, 'get'>;
  changes: Pick<LiveChanges, 'onAgentChange' | 'onResync'>;
  auth: Pick<ApiAuth, 'require'>;
}

/** A desk this far behind in reading gets nothing more until it catches up (then the view whole). */
const MAX_BUFFERED_BYTES = 262_144;
const Params = z.object({ agentId: AgentId });

export function acdAgentLiveRoutes(options: AcdAgentLiveRouteOptions): FastifyPluginAsync {
  const { desk, changes, auth } = options;
  const agentOrSupervisor = auth.require('agent', 'supervisor');
  // The check needs the guard's actor and must refuse before the upgrade.
  const selfOrSupervisor = async (request: FastifyRequest): Promise<void> => requireSelfOrSupervisor(request, (request.params as { agentId: string }).agentId);

  return async (app) => {
    // Registered once per server (the server does it; a test's bare server may not have).
    if (!app.hasDecorator('websocketServer')) await app.register(websocket);
    const schema = {
      description:
        'WebSocket: `{type:"agent",data}` (the agent\'s view) at once, then `{type:"change",data}` for each state change, made on any instance; the view whole again after a gap. The agent itself or a supervisor; a browser passes its bearer token as `access_token`.',
      params: Params,
      querystring: z.looseObject({ access_token: z.string().optional() }),
    };
    app.get(
      '/acd/agents/:agentId/live',
      { websocket: true, onRequest: [tokenFromQuery, agentOrSupervisor, selfOrSupervisor], schema, config: { audit: 'acd.agent.live', errors: ['forbidden'] } },
      async (socket, request) => {
        const { agentId } = request.params as z.infer<typeof Params>;
        const actor = actorOf(request);
        request.log.info({ audit: true, actor: actor.name, role: actor.role, via: actor.via, action: 'acd.agent.live', agentId, status: 101 }, 'operator API access');
        const feed = new AgentFeed(socket, agentId, desk);
        const offChange = changes.onAgentChange((event) => feed.changed(event));
        const offResync = changes.onResync(() => feed.readWhole());
        socket.on('close', () => {
          offChange();
          offResync();
        });
        feed.readWhole();
      },
    );
  };
}

/** One connection's feed: the last version it sent, and at most one read of the view at a time. */
class AgentFeed {
  private version = -1;
  private reading = false;
  private readAgain = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly agentId: string,
    private readonly desk: Pick<AgentDesk, 'get'>,
  ) {}

  changed(event: AgentStateChanged): void {
    if (event.agentId !== this.agentId || this.closed) return;
    // The view being read may be older than this change: read once more when it is in.
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    if (event.version <= this.version) return;
    if (event.version !== this.version + 1 || !this.send({ type: 'change', data: event })) {
      this.readWhole();
      return;
    }
    this.version = event.version;
  }

  readWhole(): void {
    if (this.closed) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    this.desk.get(this.agentId).then(
      (view) => {
        this.reading = false;
        if (!view || view.version > this.version || this.version < 0) {
          if (this.send({ type: 'agent', data: view })) this.version = view?.version ?? this.version;
        }
        this.again();
      },
      () => {
        this.reading = false;
        this.send({ type: 'unavailable', error_id: HTTP_ERRORS.storeUnavailable.errorId, message: 'the agent could not be read; changes follow once Redis answers' });
        this.again();
      },
    );
  }

  private again(): void {
    if (!this.readAgain) return;
    this.readAgain = false;
    this.readWhole();
  }

  private get closed(): boolean {
    return this.socket.readyState !== this.socket.OPEN;
  }

  /** False when not sent (closed, or the desk too far behind). */
  private send(message: unknown): boolean {
    if (this.closed || this.socket.bufferedAmount > MAX_BUFFERED_BYTES) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }
}
