/**
 * What a StasisStart is: a citizen's call from the dialplan, or a channel the service made
 * itself (an agent leg, a callback, a snoop) and tagged with its role in the app args.
 *
 * The dialplan enters `Stasis(hotline,${EXTEN})`, so an inbound call's first argument is
 * the number dialled. Channels the service originates carry `role:<name>` first.
 */
import type { Channel } from '../ari/index.js';

export type StasisEntry =
  | { kind: 'inbound'; dialled: string }
  | { kind: 'internal'; role: string; args: string[] };

export const ROLE_PREFIX = 'role:';

export function classifyStasisStart(args: string[], channel: Channel): StasisEntry {
  const first = args[0] ?? '';
  if (first.startsWith(ROLE_PREFIX)) {
    return { kind: 'internal', role: first.slice(ROLE_PREFIX.length), args: args.slice(1) };
  }
  // A number dialled is digits (maybe with + or *); anything else falls back to the
  // extension the channel was on, so a call is never refused for a bad argument.
  const dialled = /^[0-9*#+]{1,32}$/.test(first) ? first : channel.dialplan.exten.replace(/[^0-9*#+]/g, '');
  return { kind: 'inbound', dialled };
}

/** True when the channel is sitting in this app's Stasis application right now. */
export function isInApp(channel: Channel, app: string): boolean {
  return channel.dialplan.app_name === 'Stasis' && (channel.dialplan.app_data ?? '').split(',')[0] === app;
}

/** The args a channel entered the app with, as far as its dialplan data tells. */
export function argsFromDialplan(channel: Channel): string[] {
  return (channel.dialplan.app_data ?? '').split(',').slice(1);
}
