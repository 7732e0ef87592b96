/**
 * The agent desk's state by push: the WebSocket GET /acd/agents/:id/live sends the agent's
 * view at once, then each state change as the ACD makes it (on any instance). While the
 * socket is down the desk polls GET /acd/agents/:id every second, and tries the socket again
 * after a back-off (1 s, doubling to 15 s; back to 1 s once a socket opened).
 */
import type { Api } from './lib/api.js';

export interface AgentState {
  kind: string;
  since: number;
  reason?: string;
  callId?: string;
  queue?: string;
}

export interface LiveAgent {
  id: string;
  displayName: string;
  version?: number;
  state: AgentState;
}

type Message = { type: 'agent'; data: LiveAgent | null } | { type: 'change'; data: { version: number; state: AgentState } } | { type: 'unavailable' };

const POLL_MS = 1000;
const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 15_000;

export interface AgentFeedOptions {
  api: Api;
  /** `/acd/agents/<id>`. */
  base: string;
  token: string;
  /** Called with the whole view (at once, after a gap, and from each poll). */
  onView(agent: LiveAgent): void;
  /** Called with the new state of each change. */
  onState(state: AgentState): void;
  /** The socket opened (true) or went down (false). */
  onConnected?(connected: boolean): void;
}

/** Follows the agent until the page goes; the socket first, polling only while it is down. */
export function followAgent(options: AgentFeedOptions): void {
  let retryMs = FIRST_RETRY_MS;
  let poll: number | undefined;
  let version = -1;

  const startPolling = (): void => {
    poll ??= window.setInterval(() => {
      options.api.get<LiveAgent>(options.base).then(options.onView, () => undefined);
    }, POLL_MS);
  };
  const stopPolling = (): void => {
    if (poll !== undefined) window.clearInterval(poll);
    poll = undefined;
  };

  const connect = (): void => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}${options.base}/live?access_token=${encodeURIComponent(options.token)}`);
    socket.addEventListener('open', () => {
      retryMs = FIRST_RETRY_MS;
      stopPolling();
      options.onConnected?.(true);
    });
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as Message;
      if (message.type === 'agent' && message.data) {
        version = message.data.version ?? version;
        options.onView(message.data);
      } else if (message.type === 'change' && message.data.version > version) {
        version = message.data.version;
        options.onState(message.data.state);
      }
    });
    socket.addEventListener('close', () => {
      options.onConnected?.(false);
      startPolling();
      window.setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, LONGEST_RETRY_MS);
    });
  };
  connect();
}
