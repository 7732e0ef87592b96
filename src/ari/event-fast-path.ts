/**
 * ari-client's handling of an event frame, without what nobody here uses.
 *
 * For every frame ari-client's processMessage finds the event's model by a linear search of
 * the api-docs' event models, builds an object for each resource the event carries
 * (channel, bridge, playback…) with every REST operation of that resource attached as a
 * closure, walks its per-instance listeners, and emits the event with those objects. The
 * adapter listens on the client for '*' only and reads the plain event (connection.ts);
 * building the resource objects cost the service about as much CPU as its own handling of
 * the event (a call brings about fifty frames, half of them ChannelVarset it ignores).
 *
 * So a frame is delivered here as processMessage would deliver it to such a listener — the
 * parsed JSON, '*' first, then its type — whenever nothing could tell the difference: the
 * type is one the api-docs declare, and nobody listens on the client for that type or on an
 * instance (`channel.on(...)`, which the adapter never uses). Otherwise the frame goes to
 * processMessage as before (an undeclared type still throws there, and ws-guard drops it).
 */
import type { AriClient } from 'ari-client';

/** Delivers the frame and returns true, or returns false and leaves it to processMessage. Throws on a frame that is not JSON. */
export function deliverFrame(client: AriClient, frame: unknown): boolean {
  const models = client._swagger?.apis?.events?.models;
  if (!models || typeof client.emit !== 'function') return false;
  const text = typeof frame === 'string' ? frame : Buffer.isBuffer(frame) ? frame.toString('utf8') : undefined;
  if (text === undefined) return false;
  const event = JSON.parse(text) as { type?: unknown } | null;
  const type = event?.type;
  if (typeof type !== 'string' || !Object.hasOwn(models, type)) return false;
  if (client.listenerCount(type) > 0 || (client._instanceListeners?.[type]?.length ?? 0) > 0) return false;
  // As processMessage: '*' with the event (its resources objects are never read here), then the type, which nobody hears.
  client.emit('*', event);
  return true;
}
