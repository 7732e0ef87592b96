import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { CalendarConfigSchema } from '../../src/calendar/index.js';
import { Registry } from 'prom-client';
import { createCallbackMetrics, createCallbackStore, type CallbacksConfigInput, type MissedCall } from '../../src/acd/callbacks/index.js';
import type { CallbackScheduler } from '../../src/acd/ports/callback-scheduler.js';
import { useTestRedis } from '../support/test-redis.js';

const redis = useTestRedis();
const other = useTestRedis();
const example = parse(readFileSync(new URL('../../config/hotline.example.yaml', import.meta.url), 'utf8')) as { calendar: unknown };
const calendar = CalendarConfigSchema.parse(example.calendar);
/** Epoch ms of a Beijing wall-clock time. */
const at = (local: string): number => new Date(`${local}+08:00`).getTime();
const MINUTE = 60_000;

/** Two stores (two connections, as two service instances) over one prefix. */
function stores(config: CallbacksConfigInput = {}) {
  const keyPrefix = `cb-test-${randomUUID()}:`;
  const make = (r: Redis) => createCallbackStore({ redis: r, keyPrefix, config, calendar });
  return { a: make(redis), b: make(other), keyPrefix };
}

let calls = 0;
const missed = (number: string, missedAt: number, reason: MissedCall['reason'] = 'abandoned'): MissedCall => ({ callId: `call-${++calls}`, number, queue: 'general', missedAt, reason });
const numberOf = (i: number): string => `139${String(10_000_000 + i)}`;

describe('missed-call callbacks: once per number per calling day', () => {
  it('schedules one job for two abandons of one number the same day, and a new one the next day', async () => {
    const { a } = stores();
    const first = await a.scheduleMissed(missed('13812345678', at('2026-12-02T10:00:00')), at('2026-12-02T10:00:00'));
    expect(first).toEqual({ result: 'scheduled', jobId: expect.any(String), dueAt: at('2026-12-02T10:00:00') });
    expect(await a.scheduleMissed(missed('13812345678', at('2026-12-02T10:30:00')), at('2026-12-02T10:30:00'))).toMatchObject({ result: 'already', why: 'pending' });
    expect((await a.pending()).count).toBe(1);

    const { jobs } = await a.claimDue(at('2026-12-02T10:31:00'), 5, 'instance-a');
    expect(jobs.map((j) => j.number)).toEqual(['13812345678']);
    expect(await a.finish(jobs[0]!.id, 'instance-a', 'connected', at('2026-12-02T10:33:00'))).toEqual({ result: 'done', outcome: 'connected' });
    // Called back already today: a later miss that day is recorded by the call, not called again.
    expect(await a.scheduleMissed(missed('13812345678', at('2026-12-02T15:00:00'), 'closed'), at('2026-12-02T15:00:00'))).toMatchObject({ result: 'already', why: 'called-today', jobId: jobs[0]!.id });
    expect((await a.pending()).count).toBe(0);

    const nextDay = await a.scheduleMissed(missed('13812345678', at('2026-12-03T09:30:00')), at('2026-12-03T09:30:00'));
    expect(nextDay).toMatchObject({ result: 'scheduled', dueAt: at('2026-12-03T09:30:00') });
    expect(await a.scheduleMissed(missed('13900001111', at('2026-12-03T09:31:00')), at('2026-12-03T09:31:00'))).toMatchObject({ result: 'scheduled' });
  });

  it('counts the day the callback falls on: an evening miss and the next morning\'s make one call', async () => {
    const { a } = stores();
    const evening = await a.scheduleMissed(missed('13812345678', at('2026-12-02T21:00:00')), at('2026-12-02T21:00:00'));
    expect(evening).toMatchObject({ result: 'scheduled', dueAt: at('2026-12-03T09:00:00') });
    const { jobs } = await a.claimDue(at('2026-12-03T09:00:00'), 5, 'a');
    await a.finish(jobs[0]!.id, 'a', 'connected', at('2026-12-03T09:02:00'));
    expect(await a.scheduleMissed(missed('13812345678', at('2026-12-03T10:00:00')), at('2026-12-03T10:00:00'))).toMatchObject({ result: 'already', why: 'called-today' });
  });

  it('schedules one job when two instances record two misses of one number at the same moment', async () => {
    const { a, b } = stores();
    const now = at('2026-12-02T10:00:00');
    const results = await Promise.all([a.scheduleMissed(missed('13812345678', now), now), b.scheduleMissed(missed('13812345678', now), now)]);
    expect(results.map((r) => r.result).sort()).toEqual(['already', 'scheduled']);
    expect((await b.pending()).count).toBe(1);
  });

  it('calls back no withheld number, nothing when missed calls are off, and a repeated request once', async () => {
    const { a } = stores();
    const now = at('2026-12-02T10:00:00');
    expect(await a.scheduleMissed(missed('anonymous', now), now)).toEqual({ result: 'not-dialable' });
    const call = missed('13812345678', now);
    await a.scheduleMissed(call, now);
    expect(await a.scheduleMissed(call, now)).toMatchObject({ result: 'already', why: 'same-call' });
    const { a: off } = stores({ missedCalls: { enabled: false } });
    expect(await off.scheduleMissed(missed('13812345678', now), now)).toEqual({ result: 'disabled' });
  });
});

describe('due only inside the calling hours', () => {
  it('holds a Saturday miss until Monday 09:00, and a due job over the lunch break', async () => {
    const { a } = stores();
    const saturday = at('2026-12-05T10:00:00');
    expect(await a.scheduleMissed(missed('13812345678', saturday), saturday)).toMatchObject({ result: 'scheduled', dueAt: at('2026-12-07T09:00:00') });
    expect((await a.claimDue(saturday + MINUTE, 5, 'a')).jobs).toEqual([]);
    expect((await a.claimDue(at('2026-12-07T08:59:00'), 5, 'a')).jobs).toEqual([]);

    // Due in the morning but not claimed then (the cap was full): not during lunch either.
    const { b } = stores();
    await b.scheduleMissed(missed('13900001111', at('2026-12-07T11:00:00')), at('2026-12-07T11:00:00'));
    expect((await b.claimDue(at('2026-12-07T12:30:00'), 5, 'b')).jobs).toEqual([]);
    expect((await b.claimDue(at('2026-12-07T14:00:00'), 5, 'b')).jobs).toHaveLength(1);

    expect((await a.claimDue(at('2026-12-07T09:00:00'), 5, 'a')).jobs.map((j) => j.number)).toEqual(['13812345678']);
  });
});

describe('claims across instances', () => {
  it('never gives one job to two owners claiming at once', async () => {
    const { a, b } = stores({ maxConcurrent: 100 });
    const now = at('2026-12-02T10:00:00');
    for (let i = 0; i < 30; i++) await a.scheduleMissed(missed(numberOf(i), now), now);
    const [byA, byB] = await Promise.all([a.claimDue(now, 30, 'a'), b.claimDue(now, 30, 'b')]);
    const ids = [...byA.jobs, ...byB.jobs].map((j) => j.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect(byA.jobs.every((j) => j.owner === 'a' && j.state === 'leased' && j.attempts === 1)).toBe(true);
  });

  it('keeps at most maxConcurrent jobs in flight across two instances', async () => {
    const { a, b } = stores({ maxConcurrent: 3 });
    const now = at('2026-12-02T10:00:00');
    for (let i = 0; i < 10; i++) await a.scheduleMissed(missed(numberOf(i), now), now);
    expect((await a.claimDue(now, 2, 'a')).jobs).toHaveLength(2);
    const byB = await b.claimDue(now, 10, 'b');
    expect(byB.jobs).toHaveLength(1);
    expect((await a.claimDue(now, 10, 'a')).jobs).toHaveLength(0);
    await b.finish(byB.jobs[0]!.id, 'b', 'connected', now + MINUTE);
    expect((await a.claimDue(now + MINUTE, 10, 'a')).jobs).toHaveLength(1);
    expect(await a.pending()).toMatchObject({ count: 9, inFlight: 3, waiting: 6 });
  });

  it('returns a job whose lease ran out (its instance died) to be claimed again, and refuses the late owner', async () => {
    const { a, b } = stores({ leaseSeconds: 60 });
    const now = at('2026-12-02T10:00:00');
    await a.scheduleMissed(missed('13812345678', now), now);
    const [job] = (await a.claimDue(now, 1, 'a')).jobs;
    expect((await b.claimDue(now + 59_000, 1, 'b')).jobs).toEqual([]);
    expect(await a.renew(job!.id, 'a', now + 30_000)).toBe(true);
    expect((await b.claimDue(now + 89_000, 1, 'b')).jobs).toEqual([]);

    const again = (await b.claimDue(now + 90_000, 1, 'b')).jobs;
    expect(again).toMatchObject([{ id: job!.id, owner: 'b', attempts: 2, number: '13812345678' }]);
    expect(again[0]!.history).toEqual([{ at: now + 90_000, outcome: 'lease-expired' }]);
    expect(await a.finish(job!.id, 'a', 'connected', now + 91_000)).toEqual({ result: 'not-yours' });
    expect(await a.renew(job!.id, 'a', now + 91_000)).toBe(false);
    expect(await b.finish(job!.id, 'b', 'connected', now + 92_000)).toEqual({ result: 'done', outcome: 'connected' });
    expect(await b.finish('cb-m-nothing', 'b', 'connected', now)).toEqual({ result: 'unknown' });
  });

  it('gives up a job whose last attempt\'s lease ran out', async () => {
    const { a } = stores({ leaseSeconds: 60, maxAttempts: 1 });
    const now = at('2026-12-02T10:00:00');
    const scheduled = await a.scheduleMissed(missed('13812345678', now), now);
    await a.claimDue(now, 1, 'a');
    const later = await a.claimDue(now + 60_000, 1, 'a');
    expect(later).toEqual({ jobs: [], givenUp: [{ jobId: scheduled.result === 'scheduled' && scheduled.jobId, kind: 'missed' }] });
    expect(await a.get(later.givenUp[0]!.jobId)).toMatchObject({ state: 'done', outcome: 'given-up' });
    expect((await a.pending()).count).toBe(0);
  });
});

describe('retries', () => {
  it('retries no answer and busy after the delay, then gives up after maxAttempts', async () => {
    const { a } = stores({ maxAttempts: 3, retryAfterMinutes: 30 });
    const now = at('2026-12-02T10:00:00');
    await a.scheduleMissed(missed('13812345678', now), now);
    const [job] = (await a.claimDue(now, 1, 'a')).jobs;
    expect(await a.finish(job!.id, 'a', 'no-answer', now + MINUTE)).toEqual({ result: 'retry', dueAt: now + 31 * MINUTE, attempts: 1 });
    expect((await a.claimDue(now + 30 * MINUTE, 1, 'a')).jobs).toEqual([]);
    const [second] = (await a.claimDue(now + 31 * MINUTE, 1, 'a')).jobs;
    expect(second).toMatchObject({ id: job!.id, attempts: 2 });
    expect(await a.finish(job!.id, 'a', 'busy', now + 32 * MINUTE)).toMatchObject({ result: 'retry', dueAt: now + 62 * MINUTE });
    await a.claimDue(now + 62 * MINUTE, 1, 'a');
    expect(await a.finish(job!.id, 'a', 'no-answer', now + 63 * MINUTE)).toEqual({ result: 'done', outcome: 'given-up' });
    expect(await a.get(job!.id)).toMatchObject({
      state: 'done',
      outcome: 'given-up',
      attempts: 3,
      history: [
        { at: now + MINUTE, outcome: 'no-answer' },
        { at: now + 32 * MINUTE, outcome: 'busy' },
        { at: now + 63 * MINUTE, outcome: 'no-answer' },
      ],
    });
    expect((await a.pending()).count).toBe(0);
  });

  it('moves a retry that falls after the hours to the next working morning', async () => {
    const { a } = stores({ retryAfterMinutes: 30 });
    const now = at('2026-12-04T19:50:00'); // a Friday
    await a.scheduleMissed(missed('13812345678', now), now);
    const [job] = (await a.claimDue(now, 1, 'a')).jobs;
    expect(await a.finish(job!.id, 'a', 'failed', now + MINUTE)).toMatchObject({ result: 'retry', dueAt: at('2026-12-07T09:00:00') });
  });
});

describe('virtual hold', () => {
  it('is due at once at any hour, keeps the caller\'s place, goes before missed calls and takes a waiting missed call\'s place', async () => {
    const { a } = stores();
    const sundayNight = at('2026-12-06T23:00:00');
    await a.scheduleMissed(missed('13812345678', sundayNight), sundayNight);
    const held = await a.scheduleVirtualHold({ callId: 'vh-1', number: '13812345678', queue: 'general', priority: 7, enqueuedAt: sundayNight - 5 * MINUTE }, sundayNight + MINUTE);
    expect(held).toMatchObject({ result: 'scheduled', dueAt: sundayNight + MINUTE, replaced: expect.stringMatching(/^cb-m-/) });
    expect((await a.pending()).count).toBe(1);
    const { jobs } = await a.claimDue(sundayNight + 2 * MINUTE, 5, 'a');
    expect(jobs).toMatchObject([{ kind: 'virtual-hold', priority: 7, enqueuedAt: sundayNight - 5 * MINUTE, number: '13812345678' }]);

    // Its retries follow the delay alone: the caller asked, the calling hours are for missed calls.
    expect(await a.finish(jobs[0]!.id, 'a', 'no-answer', sundayNight + 3 * MINUTE)).toEqual({ result: 'retry', dueAt: sundayNight + 33 * MINUTE, attempts: 1 });
    expect((await a.claimDue(sundayNight + 33 * MINUTE, 5, 'a')).jobs).toMatchObject([{ id: jobs[0]!.id, attempts: 2 }]);

    // In flight: a second request for the number is told so.
    expect(await a.scheduleVirtualHold({ callId: 'vh-2', number: '13812345678', queue: 'general', priority: 5, enqueuedAt: sundayNight }, sundayNight + 3 * MINUTE)).toMatchObject({ result: 'already', why: 'pending' });
  });

  it('claims virtual-hold jobs before missed calls when the cap leaves room for one', async () => {
    const { a } = stores({ maxConcurrent: 1 });
    const now = at('2026-12-02T10:00:00');
    await a.scheduleMissed(missed('13900001111', now - MINUTE), now - MINUTE);
    await a.scheduleVirtualHold({ callId: 'vh-3', number: '13812345678', queue: 'general', priority: 5, enqueuedAt: now - 9 * MINUTE }, now);
    expect((await a.claimDue(now, 5, 'a')).jobs.map((j) => j.kind)).toEqual(['virtual-hold']);
  });
});

describe('pending jobs and cancelling', () => {
  it('counts and lists waiting and in-flight jobs with masked numbers', async () => {
    const { a } = stores();
    const now = at('2026-12-02T10:00:00');
    for (let i = 0; i < 3; i++) await a.scheduleMissed(missed(numberOf(i), now + i), now + i);
    await a.claimDue(now + 10, 1, 'a');
    const pending = await a.pending();
    expect(pending).toMatchObject({ count: 3, waiting: 2, inFlight: 1 });
    expect(pending.jobs.map((j) => j.number)).toEqual(['139******01', '139******02', '139******00']);
    expect(JSON.stringify(pending)).not.toMatch(/13910000/);
  });

  it('counts without reading the job lists when no list is asked for', async () => {
    const { a } = stores();
    const now = at('2026-12-02T10:00:00');
    for (let i = 0; i < 3; i++) await a.scheduleMissed(missed(numberOf(i), now + i), now + i);
    await a.claimDue(now + 10, 1, 'a');
    const zrange = vi.spyOn(redis, 'zrange');
    try {
      expect(await a.pending(0)).toEqual({ count: 3, waiting: 2, inFlight: 1, jobs: [] });
      expect(zrange).not.toHaveBeenCalled();
    } finally {
      zrange.mockRestore();
    }
  });

  it('cancels the job waiting for a number that got through, not one in flight', async () => {
    const { a } = stores();
    const now = at('2026-12-02T10:00:00');
    await a.scheduleMissed(missed('13812345678', now), now);
    await a.scheduleMissed(missed('13900001111', now), now);
    await a.claimDue(now, 1, 'a');
    expect(await a.cancel('13812345678', now)).toMatchObject({ result: 'in-flight' });
    expect(await a.cancel('13900001111', now)).toMatchObject({ result: 'cancelled' });
    expect(await a.cancel('13900001111', now)).toEqual({ result: 'none' });
    expect(await a.pending()).toMatchObject({ count: 1, waiting: 0, inFlight: 1 });
  });

  it('keeps numbers out of key names', async () => {
    const { a, keyPrefix } = stores();
    const now = at('2026-12-02T10:00:00');
    await a.scheduleMissed(missed('13812345678', now), now);
    const keys = await redis.keys(`${keyPrefix}*`);
    expect(keys.length).toBeGreaterThan(2);
    expect(keys.join(' ')).not.toContain('13812345678');
  });
});

describe('the ACD engine\'s port', () => {
  it('is what the engine hands missed calls and virtual-hold requests to', async () => {
    const scheduler: CallbackScheduler = stores().a;
    const now = at('2026-12-02T10:00:00');
    expect(await scheduler.scheduleMissed({ callId: 'port-1', number: '13812345678', queue: 'general', missedAt: now, reason: 'abandoned' }, now)).toMatchObject({ result: 'scheduled' });
  });
});

describe('metrics', () => {
  it('counts requests by result, attempts and finished jobs by outcome, and the pending figures last read', async () => {
    const registry = new Registry();
    const metrics = createCallbackMetrics(registry);
    const store = createCallbackStore({ redis, keyPrefix: `cb-test-${randomUUID()}:`, config: { maxAttempts: 2 }, calendar, metrics });
    const now = at('2026-12-02T10:00:00');
    await store.scheduleMissed(missed('13812345678', now), now);
    await store.scheduleMissed(missed('13812345678', now), now);
    await store.scheduleVirtualHold({ callId: 'vh-m', number: '13900001111', queue: 'general', priority: 5, enqueuedAt: now }, now);
    const { jobs } = await store.claimDue(now, 5, 'a');
    for (const job of jobs) await store.finish(job.id, 'a', job.kind === 'missed' ? 'connected' : 'busy', now + MINUTE);
    await store.pending();
    const text = await registry.metrics();
    expect(text).toContain('hotline_callbacks_scheduled_total{kind="missed",result="scheduled"} 1');
    expect(text).toContain('hotline_callbacks_scheduled_total{kind="missed",result="already"} 1');
    expect(text).toContain('hotline_callbacks_scheduled_total{kind="virtual-hold",result="scheduled"} 1');
    expect(text).toContain('hotline_callbacks_attempts_total{kind="virtual-hold",outcome="busy"} 1');
    expect(text).toContain('hotline_callbacks_finished_total{kind="missed",outcome="connected"} 1');
    expect(text).not.toContain('hotline_callbacks_finished_total{kind="virtual-hold"');
    expect(text).toContain('hotline_callbacks_pending{state="waiting"} 1');
    metrics.unregister();
    expect((await registry.metrics()).trim()).toBe('');
  });
});
