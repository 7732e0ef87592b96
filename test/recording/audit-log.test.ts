import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AccessLog, recordingKeys, type AccessRecord } from '../../src/recording/index.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();

function freshLog() {
  const keys = recordingKeys(`test-${randomUUID()}:`);
  return { log: new AccessLog(redis, keys), keys };
}

const access = (n: number): AccessRecord => ({ actor: `sup-${n}`, role: 'supervisor', via: 'jwt', action: 'listen', recordingId: `20261202-${String(n).padStart(24, '0')}`, query: null, reason: 'quality review of ticket', result: 'allowed', status: 200 });

async function filled(count: number) {
  const fresh = freshLog();
  for (let i = 1; i <= count; i++) await fresh.log.append(access(i));
  return fresh;
}

describe('the hash-chained access log', () => {
  it('chains each entry to the one before and verifies', async () => {
    const { log } = freshLog();
    expect(await log.verify()).toEqual({ ok: true, entries: 0 });
    const first = await log.append(access(1));
    const second = await log.append(access(2));
    expect(first).toMatchObject({ seq: 1, prev: '0'.repeat(64), actor: 'sup-1' });
    expect(second).toMatchObject({ seq: 2, prev: first.hash });
    expect(await log.verify()).toEqual({ ok: true, entries: 2 });
  });

  it('stays one chain when many appends race (several instances)', async () => {
    const { log, keys } = freshLog();
    const others = [new AccessLog(redis, keys), log];
    await Promise.all(Array.from({ length: 40 }, (_, i) => others[i % 2]!.append(access(i))));
    expect(await log.verify()).toEqual({ ok: true, entries: 40 });
  });

  it('fails on an edited entry, naming it', async () => {
    const { log, keys } = await filled(5);
    const raw = JSON.parse((await redis.lindex(keys.accessLog(), 2))!);
    await redis.lset(keys.accessLog(), 2, JSON.stringify({ ...raw, actor: 'somebody-else' }));
    expect(await log.verify()).toMatchObject({ ok: false, brokenAt: 3, why: expect.stringContaining('changed') });
  });

  it('fails on an entry edited with its hash recomputed (the next link breaks)', async () => {
    const { log, keys } = await filled(5);
    const { entryHash } = await import('../../src/recording/index.js');
    const raw = JSON.parse((await redis.lindex(keys.accessLog(), 1))!);
    const { hash: _old, ...body } = { ...raw, reason: 'nothing to see here' };
    await redis.lset(keys.accessLog(), 1, JSON.stringify({ ...body, hash: entryHash(body) }));
    expect(await log.verify()).toMatchObject({ ok: false, brokenAt: 3, why: expect.stringContaining('does not follow') });
  });

  it('fails on a removed entry, in the middle or at the end', async () => {
    const middle = await filled(5);
    const doomed = (await redis.lindex(middle.keys.accessLog(), 2))!;
    await redis.lrem(middle.keys.accessLog(), 1, doomed);
    expect(await middle.log.verify()).toMatchObject({ ok: false, brokenAt: 3 });
    const end = await filled(5);
    await redis.rpop(end.keys.accessLog());
    expect(await end.log.verify()).toMatchObject({ ok: false, entries: 4, why: expect.stringContaining('cut off') });
  });

  it('fails on something that is not an entry', async () => {
    const { log, keys } = await filled(2);
    await redis.lset(keys.accessLog(), 0, 'not json');
    expect(await log.verify()).toMatchObject({ ok: false, brokenAt: 1 });
  });
});
