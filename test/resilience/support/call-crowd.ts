/**
 * Hundreds of calls at once on the ACD restart scene (test/acd/support/acd-restart.ts): each
 * wait is one poll over the whole group (one MGET of the call records, one pass over what each
 * sink received), never a poll per call, so a crowd of callers does not load the machine more
 * than the service under test. Nothing here asserts but the waits.
 */
import { expect, vi } from 'vitest';
import type { ReceivedMessage } from '../../../sim/ticket-backend/sink-recorder.js';
import type { CallRecord } from '../../../src/calls/call-record.js';
import { SINKS, type AcdRestart } from '../../acd/support/acd-restart.js';

/** A call of the crowd: its caller's channel and, once stored, its call id. */
export interface CrowdCall {
  channelId: string;
  callId: string;
}

/** How long a wait over the whole crowd may take: long enough for a loaded two-core machine. */
const GROUP_WAIT_MS = 45_000;

/** Waits until `check` holds for every item; fails naming how many did not and the first of them (as `show` tells it). */
export async function untilEvery<T>(what: string, items: readonly T[], check: (item: T) => boolean | Promise<boolean>, show: (item: T) => unknown = (item) => item): Promise<void> {
  await vi.waitFor(async () => {
    const failing: T[] = [];
    for (const item of items) if (!(await check(item))) failing.push(item);
    expect(failing.length, `${what}: ${failing.length} of ${items.length} not yet, e.g. ${failing.length ? JSON.stringify(show(failing[0]!)) : ''}`).toBe(0);
  }, { timeout: GROUP_WAIT_MS, interval: 100 });
}

/** Waits until every channel has heard `prompt` `times` times; fails with what the first one short of it heard. */
export async function untilHeard(t: AcdRestart, what: string, channelIds: readonly string[], prompt: string, times = 1): Promise<void> {
  await untilEvery(what, channelIds, (id) => t.heard(id).filter((p) => p === prompt).length === times, (id) => ({ id, heard: t.heard(id) }));
}

/** The stored records of these channels, in one MGET (undefined where none). */
export async function recordsOf(t: AcdRestart, channelIds: readonly string[]): Promise<Map<string, CallRecord | undefined>> {
  if (channelIds.length === 0) return new Map();
  const values = await t.redis.mget(channelIds.map((id) => `${t.keyPrefix}calls:live:${id}`));
  return new Map(channelIds.map((id, i) => [id, values[i] ? (JSON.parse(values[i]!) as CallRecord) : undefined]));
}

/** Waits until every channel's stored record passes `check`; returns the records. */
export async function untilStored(t: AcdRestart, what: string, channelIds: readonly string[], check: (record: CallRecord) => boolean): Promise<Map<string, CallRecord>> {
  let records = new Map<string, CallRecord | undefined>();
  await vi.waitFor(async () => {
    records = await recordsOf(t, channelIds);
    const failing = channelIds.filter((id) => !records.get(id) || !check(records.get(id)!));
    expect(failing.length, `${what}: ${failing.length} of ${channelIds.length} not stored so yet, e.g. ${JSON.stringify(records.get(failing[0]!)?.position ?? null)}`).toBe(0);
  }, { timeout: GROUP_WAIT_MS, interval: 100 });
  return records as Map<string, CallRecord>;
}

/** Calls from numbers of their own (more than ten calls an hour from one number are restricted), each until it hears the main menu. */
export async function placeCalls(t: AcdRestart, numbers: readonly string[]): Promise<string[]> {
  const ids = numbers.map((from) => t.sim.placeCall({ from, dialled: '12345' }).id);
  await untilHeard(t, 'hears the main menu', ids, 'main-menu');
  return ids;
}

/** Twelve-digit mobile numbers of their own: `139` + the series + the call's number. */
export const callerNumbers = (series: number, count: number): string[] => Array.from({ length: count }, (_, i) => `139${String(series).padStart(4, '0')}${String(i).padStart(4, '0')}`);

/** What each sink has received, by call, read in one pass. */
export function receivedByCall(t: AcdRestart): Array<Map<string, ReceivedMessage[]>> {
  return SINKS.map((sink) => {
    const byCall = new Map<string, ReceivedMessage[]>();
    for (const m of t.backend.recorder(sink).messages) byCall.set(m.callId, [...(byCall.get(m.callId) ?? []), m]);
    return byCall;
  });
}

/**
 * Waits until both sinks hold every event each call has published so far (its stored
 * `lastEventSequence`), with an event of type `last` among them. A SIGKILL loses events the
 * process had not stored in Redis yet (the outbox's documented window): waiting for them
 * first makes what a restart test counts the calls carried on, not that window.
 */
export async function untilDeliveredSoFar(t: AcdRestart, channelIds: readonly string[], last: string): Promise<void> {
  await vi.waitFor(async () => {
    const records = await recordsOf(t, channelIds);
    const sinks = receivedByCall(t);
    const behind = channelIds.filter((id) => {
      const record = records.get(id);
      return !record || sinks.some((byCall) => {
        const got = byCall.get(record.callId) ?? [];
        return got.length !== record.lastEventSequence || !got.some((m) => m.type === last);
      });
    });
    expect(behind.length, `${behind.length} of ${channelIds.length} calls not yet at both sinks up to ${last}`).toBe(0);
  }, { timeout: GROUP_WAIT_MS, interval: 200 });
}

/** Waits until both sinks have each call's call.ended; returns each call's events at each sink. */
export async function endedAtBothSinks(t: AcdRestart, callIds: readonly string[]): Promise<Array<Map<string, ReceivedMessage[]>>> {
  let sinks: Array<Map<string, ReceivedMessage[]>> = [];
  await vi.waitFor(() => {
    sinks = receivedByCall(t);
    const open = callIds.filter((id) => sinks.some((byCall) => !(byCall.get(id) ?? []).some((m) => m.type === 'call.ended')));
    expect(open.length, `${open.length} of ${callIds.length} calls without call.ended at both sinks`).toBe(0);
  }, { timeout: GROUP_WAIT_MS, interval: 200 });
  return sinks;
}
