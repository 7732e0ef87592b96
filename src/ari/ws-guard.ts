/**
 * Guards the WebSockets ari-client opens for /ari/events.
 *
 * ari-client creates every socket the same way, in its private `connect()`:
 *     self._ws = new WebSocket(url); self._ws.on('message', processMessage); ...
 * so the one place every socket passes through is the assignment to `client._ws`. The guard
 * turns that property into an accessor and, for each new socket:
 *
 * 1. Wraps the `message` listeners ari-client registers in a try/catch. `processMessage`
 *    throws on a frame whose type is missing from the `events.json` it downloaded at connect
 *    (`eventModel.properties` of undefined) and on a frame that is not JSON; thrown inside a
 *    ws listener, that would be an uncaught exception and end the process. The frame is
 *    reported through `onDroppedFrame` and dropped. Wrapping at assignment time, before any
 *    listener exists, covers the first frame of every socket, including those from
 *    ari-client's own reconnects, without depending on event ordering.
 *    A frame nothing but the client's '*' listeners would hear is delivered without ari-client's
 *    processMessage, which builds objects nobody here reads (event-fast-path.ts).
 * 2. Once the client is retired (the adapter closed or replaced it), answers with an inert
 *    stand-in instead: ari-client's reconnect timers cannot be cancelled from outside, and
 *    one firing later would otherwise open a fresh socket that reconnects forever. The real
 *    socket is terminated at once and ari-client never hears of it.
 */
import type { AriClient } from 'ari-client';
import { deliverFrame } from './event-fast-path.js';

/** The parts of a ws@6 WebSocket the guard touches. */
interface GuardedSocket {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  addListener(event: string, listener: (...args: unknown[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  terminate(): void;
}

export interface WsGuardHooks {
  /** A frame ari-client could not process; `type` is the frame's `type` field if readable. */
  onDroppedFrame(type: string, error: unknown): void;
}

export interface WsGuard {
  /** Terminates the live socket and neutralises every socket the client creates from now on. */
  retire(): void;
  /** Message listeners on the live socket (for tests that look for leaks). */
  messageListenerCount(): number;
}

const noop = (): void => {};

/** What ari-client sees instead of a socket once its client is retired. */
const INERT = Object.freeze({
  readyState: 3,
  on() {
    return INERT;
  },
  close: noop,
  ping: noop,
  terminate: noop,
});

function frameType(frame: unknown): string {
  try {
    const parsed: unknown = JSON.parse(String(frame));
    const type = (parsed as { type?: unknown } | null)?.type;
    return typeof type === 'string' ? type : '<none>';
  } catch {
    return '<not json>';
  }
}

function silence(socket: GuardedSocket): void {
  socket.removeAllListeners();
  // terminate() on a connecting ws@6 socket emits 'error' synchronously: keep it from throwing.
  socket.on('error', noop);
  socket.terminate();
}

function guardMessageListeners(client: AriClient, socket: GuardedSocket, hooks: WsGuardHooks): void {
  const original = socket.on.bind(socket);
  const guardedOn = (event: string, listener: (...args: unknown[]) => void): unknown => {
    if (event !== 'message') return original(event, listener);
    // Only ari-client's own handler is stood in for: another listener hears every frame itself.
    const standIn = listener.name === 'processMessage';
    return original(event, function guardedMessage(this: unknown, ...args: unknown[]) {
      try {
        if (!standIn || !deliverFrame(client, args[0])) listener.apply(this, args);
      } catch (error) {
        hooks.onDroppedFrame(frameType(args[0]), error);
      }
    });
  };
  socket.on = guardedOn;
  socket.addListener = guardedOn;
}

export function guardWebSockets(client: AriClient, hooks: WsGuardHooks): WsGuard {
  let retired = false;
  let live: GuardedSocket | undefined;
  let exposed: unknown = client._ws;

  Object.defineProperty(client, '_ws', {
    configurable: true,
    enumerable: false,
    get: () => exposed,
    set: (socket: GuardedSocket) => {
      if (retired) {
        silence(socket);
        exposed = INERT;
        return;
      }
      guardMessageListeners(client, socket, hooks);
      live = socket;
      exposed = socket;
    },
  });

  return {
    retire() {
      retired = true;
      if (live) silence(live);
      live = undefined;
      exposed = INERT;
    },
    messageListenerCount() {
      const socket = live as unknown as { listenerCount?: (event: string) => number } | undefined;
      return socket?.listenerCount?.('message') ?? 0;
    },
  };
}
