/**
 * The ACD's changes across instances over Redis pub/sub (src/acd/live-changes): an agent's
 * change told here at once and to the other instance once, never back to its maker; "the
 * figures moved", called many times in a burst, published at once and once more after the
 * window.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import type { AgentStateChanged } from '../../src/acd/index.js';
import { createLiveChanges, type LiveChanges } from '../../src/acd/live-changes/index.js';
import { createTestLogger } from '../support/test-logger.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();
const log = createTestLogger();
const started: LiveChanges[] = [];

afterEach(() => {
  vi.useRealTimers();
  for (const c of started.splice(0)) c.stop();
});

/** Two instances on one prefix, each subscribed (its subscriber is ready once it hears a probe). */
async function twoInstances(figuresEveryMs?: number) {
  const keyPrefix = `live-${randomUUID()}:`;
  const make = () => {
    const c = createLiveChanges({ redisUrl: inject('redisUrl'), keyPrefix, publisher: redis, log, ...(figuresEveryMs ? { figuresEveryMs } : {}) });
    c.start();
    started.push(c);
    return c;
  };
  const a = make();
  const b = make();
  for (const [from, to] of [[a, b], [b, a]] as const) {
    const heard = new Set<string>();
    const off = to.onAgentChange((e) => heard.add(e.agentId));
    await vi.waitFor(() => {
      from.agentChanged(change('probe', 0));
      expect(heard.has('probe')).toBe(true);
    }, { timeout: 5000, interval: 50 });
    // Messages arrive in order: once this one is heard, no probe is still on its way.
    from.agentChanged(change('synced', 0));
    await vi.waitFor(() => expect(heard.has('synced')).toBe(true), { timeout: 5000 });
    off();
  }
  return { a, b };
}

function change(agentId: string, version: number): AgentStateChanged {
  return { agentId, from: 'ready', to: 'ringing', version, state: { kind: 'ringing', since: 1 } } as unknown as AgentStateChanged;
}

describe('live changes', () => {
  it('tells an agent change here at once and to the other instance once, never back to its maker', async () => {
    const { a, b } = await twoInstances();
    const onA: string[] = [];
    const onB: string[] = [];
    const remoteOnA: number[] = [];
    a.onAgentChange((e) => onA.push(`${e.agentId}@${e.version}`));
    b.onAgentChange((e) => onB.push(`${e.agentId}@${e.version}`));
    a.onRemoteChange(() => remoteOnA.push(1));
    a.agentChanged(change('a1', 1));
    expect(onA).toEqual(['a1@1']);
    // b's change is the marker: a hears its own messages in order, so by then it had a1's back.
    b.agentChanged(change('b1', 1));
    await vi.waitFor(() => expect(onA).toEqual(['a1@1', 'b1@1']), { timeout: 5000 });
    await vi.waitFor(() => expect(onB).toEqual(['b1@1', 'a1@1']), { timeout: 5000 });
    expect(remoteOnA).toHaveLength(1);
  });

  it('publishes a burst of "figures moved" once at once and once more when the window ends', async () => {
    const { a, b } = await twoInstances(60_000);
    let remote = 0;
    b.onRemoteChange(() => remote++);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    for (let i = 0; i < 20; i++) a.figuresChanged();
    vi.advanceTimersByTime(60_000);
    // A window with nothing in it sends nothing more.
    vi.advanceTimersByTime(60_000);
    vi.useRealTimers();
    let marker = false;
    b.onAgentChange(() => (marker = true));
    a.agentChanged(change('marker', 1));
    await vi.waitFor(() => expect(marker).toBe(true), { timeout: 5000 });
    // Leading, trailing, and the marker (an agent change is a remote change too).
    expect(remote).toBe(3);
  });
});
