/**
 * The stand-in for ari-client's processMessage (event-fast-path.ts, through ws-guard.ts), on
 * stand-ins for ari-client's client and its ws@6 socket: a declared event nobody listens to
 * by type reaches the client's '*' listeners as the parsed frame without processMessage;
 * anything else (a type or instance listener, an undeclared type) still goes through it.
 */
import { EventEmitter } from 'node:events';
import type { AriClient } from 'ari-client';
import { describe, expect, it, vi } from 'vitest';
import { guardWebSockets } from '../../src/ari/ws-guard.js';

const MODELS = { StasisStart: {}, ChannelVarset: {} };

function setUp() {
  const client = Object.assign(new EventEmitter(), {
    _swagger: { apis: { events: { operations: {}, models: MODELS } } },
    _instanceListeners: {} as Record<string, unknown[]>,
  }) as unknown as AriClient & EventEmitter;
  const dropped = vi.fn();
  guardWebSockets(client, { onDroppedFrame: dropped });
  const socket = new EventEmitter();
  client._ws = socket;
  const processed: string[] = [];
  // Named as ari-client's handler is: the one the guard stands in for.
  const processMessage = (msg: string): void => {
    const event = JSON.parse(msg) as { type: string };
    if (!(event.type in MODELS)) throw new TypeError("Cannot read properties of undefined (reading 'properties')");
    processed.push(event.type);
    client.emit('*', event, { built: true });
    client.emit(event.type, event, { built: true });
  };
  (client._ws as EventEmitter).on('message', processMessage);
  const heard: Array<{ event: unknown; resources: unknown }> = [];
  client.on('*', (event: unknown, resources: unknown) => heard.push({ event, resources }));
  return { client, socket, dropped, processed, heard };
}

const frame = (type: string, extra: Record<string, unknown> = {}) => JSON.stringify({ type, application: 'hotline', ...extra });

describe('the event fast path', () => {
  it('delivers a declared event to the client\'s \'*\' listeners as the parsed frame, without processMessage', () => {
    const { socket, processed, heard } = setUp();
    socket.emit('message', frame('ChannelVarset', { variable: 'X', value: '1', channel: { id: 'c1' } }));
    expect(processed).toEqual([]);
    expect(heard).toEqual([{ event: { type: 'ChannelVarset', application: 'hotline', variable: 'X', value: '1', channel: { id: 'c1' } }, resources: undefined }]);
  });

  it('leaves a frame to processMessage when someone listens for its type or on an instance', () => {
    const { client, socket, processed, heard } = setUp();
    const byType = vi.fn();
    client.on('StasisStart', byType);
    socket.emit('message', frame('StasisStart'));
    expect(processed).toEqual(['StasisStart']);
    expect(byType).toHaveBeenCalledWith({ type: 'StasisStart', application: 'hotline' }, { built: true });
    client.removeAllListeners('StasisStart');

    client._instanceListeners.ChannelVarset = [{ id: 'c1', once: false }];
    socket.emit('message', frame('ChannelVarset'));
    expect(processed).toEqual(['StasisStart', 'ChannelVarset']);
    expect(heard.map((h) => h.resources)).toEqual([{ built: true }, { built: true }]);
  });

  it('leaves an undeclared type to processMessage, whose throw is dropped as before; a frame that is not JSON too', () => {
    const { socket, processed, heard, dropped } = setUp();
    socket.emit('message', frame('ChannelTeleported'));
    socket.emit('message', 'not json');
    expect(processed).toEqual([]);
    expect(heard).toEqual([]);
    expect(dropped.mock.calls.map((c) => c[0])).toEqual(['ChannelTeleported', '<not json>']);
  });

  it('stands in for ari-client\'s handler only: another message listener hears every frame itself', () => {
    const { socket, heard } = setUp();
    const other = vi.fn();
    socket.on('message', other);
    socket.emit('message', frame('ChannelVarset'));
    expect(other).toHaveBeenCalledOnce();
    expect(heard).toHaveLength(1);
  });
});
