/**
 * The socket guard, on stand-ins for ari-client's client and ws@6 sockets: a throwing
 * message handler (what ari-client's processMessage does on an event type its events.json
 * lacks) is caught and reported; a retired client's late sockets are shut at once.
 */
import { EventEmitter } from 'node:events';
import type { AriClient } from 'ari-client';
import { describe, expect, it, vi } from 'vitest';
import { guardWebSockets } from '../../src/ari/ws-guard.js';

class FakeSocket extends EventEmitter {
  terminated = false;
  terminate(): void {
    this.terminated = true;
    // ws@6 emits 'error' synchronously when a connecting socket is terminated.
    this.emit('error', new Error('WebSocket was closed before the connection was established'));
  }
}

/** Mimics ari-client's connect(): assign `_ws`, then register listeners through it. */
function clientConnect(client: { _ws?: unknown }, onMessage: (msg: string) => void): FakeSocket {
  const socket = new FakeSocket();
  client._ws = socket;
  (client._ws as EventEmitter).on('message', onMessage);
  (client._ws as EventEmitter).on('close', () => {});
  return socket;
}

const fakeClient = (): AriClient => ({}) as unknown as AriClient;

describe('guardWebSockets', () => {
  it('reports and drops a frame the message handler throws on', () => {
    const client = fakeClient();
    const dropped = vi.fn();
    guardWebSockets(client, { onDroppedFrame: dropped });
    const socket = clientConnect(client, (msg) => {
      const event = JSON.parse(msg) as { type: string };
      if (event.type === 'BrandNewEvent') throw new TypeError("Cannot read properties of undefined (reading 'properties')");
    });
    expect(() => socket.emit('message', '{"type":"BrandNewEvent"}')).not.toThrow();
    expect(() => socket.emit('message', 'not json')).not.toThrow();
    expect(dropped).toHaveBeenCalledTimes(2);
    expect(dropped.mock.calls[0]?.[0]).toBe('BrandNewEvent');
    expect(dropped.mock.calls[1]?.[0]).toBe('<not json>');
  });

  it('guards every new socket, as after each of ari-client reconnects', () => {
    const client = fakeClient();
    const dropped = vi.fn();
    guardWebSockets(client, { onDroppedFrame: dropped });
    const throwing = (): void => {
      throw new Error('boom');
    };
    clientConnect(client, throwing);
    const second = clientConnect(client, throwing);
    expect(() => second.emit('message', '{"type":"X"}')).not.toThrow();
    expect(dropped).toHaveBeenCalledOnce();
  });

  it('delivers frames that are processed fine', () => {
    const client = fakeClient();
    guardWebSockets(client, { onDroppedFrame: () => {} });
    const seen: string[] = [];
    const socket = clientConnect(client, (msg) => seen.push(msg));
    socket.emit('message', '{"type":"StasisStart"}');
    expect(seen).toEqual(['{"type":"StasisStart"}']);
  });

  it('shuts the live socket on retire and every socket created after it', () => {
    const client = fakeClient();
    const guard = guardWebSockets(client, { onDroppedFrame: () => {} });
    const live = clientConnect(client, () => {});
    expect(guard.messageListenerCount()).toBe(1);
    guard.retire();
    expect(live.terminated).toBe(true);
    expect(live.listenerCount('message')).toBe(0);

    // A reconnect timer of ari-client firing later: the new socket is closed at once.
    const late = new FakeSocket();
    const onOpen = vi.fn();
    client._ws = late;
    (client._ws as EventEmitter).on('open', onOpen);
    expect(late.terminated).toBe(true);
    late.emit('open');
    expect(onOpen).not.toHaveBeenCalled();
  });
});
