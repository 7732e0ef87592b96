/**
 * Which apps are on this instance's Asterisk node (node-apps.ts): its own app always, the
 * apps Asterisk lists, read again on a miss at most once per window; a list that cannot be
 * read counts the app as elsewhere (the hand-off reaches it wherever it is).
 */
import { describe, expect, it } from 'vitest';
import { NodeApps } from '../../src/acd/engine/node-apps.js';

function lister(lists: Array<string[] | Error>) {
  let reads = 0;
  return {
    get reads() {
      return reads;
    },
    list: async () => {
      const next = lists[Math.min(reads++, lists.length - 1)]!;
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

describe('the apps of this node', () => {
  it('own app and an unnamed app are here without asking Asterisk; without a list every app is (one node)', async () => {
    const asterisk = lister([['hotline-a']]);
    const apps = new NodeApps({ own: 'hotline-a', list: asterisk.list, now: () => 0 });
    expect(await apps.isHere('hotline-a')).toBe(true);
    expect(await apps.isHere('')).toBe(true);
    expect(asterisk.reads).toBe(0);
    expect(await new NodeApps({ own: 'hotline-a', now: () => 0 }).isHere('hotline-b')).toBe(true);
  });

  it('an app Asterisk lists is here; another is not, and is asked about again only after the window', async () => {
    let now = 0;
    const asterisk = lister([['hotline-a', 'hotline-a2'], ['hotline-a', 'hotline-a2', 'hotline-a3']]);
    const apps = new NodeApps({ own: 'hotline-a', list: asterisk.list, now: () => now, rereadMs: 1000 });
    expect(await apps.isHere('hotline-a2')).toBe(true);
    expect(await apps.isHere('hotline-b')).toBe(false);
    expect(await apps.isHere('hotline-a3')).toBe(false);
    expect(asterisk.reads).toBe(1);
    // Known apps are answered from memory; a slot of this node that registered since is found at the next read.
    now = 1000;
    expect(await apps.isHere('hotline-a2')).toBe(true);
    expect(asterisk.reads).toBe(1);
    expect(await apps.isHere('hotline-a3')).toBe(true);
    expect(asterisk.reads).toBe(2);
  });

  it('concurrent questions share one read; a failed read keeps what was known and hands the unknown app off', async () => {
    let now = 0;
    const asterisk = lister([['hotline-a', 'hotline-a2'], new Error('Asterisk away')]);
    const apps = new NodeApps({ own: 'hotline-a', list: asterisk.list, now: () => now, rereadMs: 1000 });
    expect(await Promise.all([apps.isHere('hotline-b'), apps.isHere('hotline-a2'), apps.isHere('hotline-c')])).toEqual([false, true, false]);
    expect(asterisk.reads).toBe(1);
    now = 5000;
    expect(await apps.isHere('hotline-b')).toBe(false);
    expect(asterisk.reads).toBe(2);
    expect(await apps.isHere('hotline-a2')).toBe(true);
  });
});
