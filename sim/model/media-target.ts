/**
 * Playbacks and recordings name what they play to or record as `channel:<id>` or
 * `bridge:<id>`; their events go to the apps that see that channel, or any channel of
 * that bridge (and the apps subscribed to the bridge itself).
 */
import type { World } from './world.js';

export function splitTarget(uri: string): [string, string] {
  const i = uri.indexOf(':');
  return [uri.slice(0, i), uri.slice(i + 1)];
}

export function appsForTarget(world: World, targetUri: string): Set<string> {
  const [kind, id] = splitTarget(targetUri);
  if (kind === 'channel') {
    const ch = world.channels.get(id);
    return ch ? world.recipients(ch) : new Set();
  }
  const b = world.bridges.get(id);
  const apps = new Set(b?.subs ?? []);
  for (const cid of b?.channels ?? []) {
    const ch = world.channels.get(cid);
    if (ch) for (const a of world.recipients(ch)) apps.add(a);
  }
  return apps;
}
