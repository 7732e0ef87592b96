/**
 * Whole calls recorded through the real service: the ACD example config, the simulator, a
 * real Redis and the real archive on the file system (in a temporary directory), whose
 * storage a test can break (its root a plain file: nothing can be written under it) and
 * mend again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, vi } from 'vitest';
import type { HotlineConfig } from '../../src/app/config-schema.js';
import type { DomainEventOf } from '../../src/calls/index.js';
import { RecordingConfigSchema, type Manifest, type RecordingSecrets } from '../../src/recording/index.js';
import { acdConfig, agentProfile, callIdOf, callToQueue, talkBridge, untilAgent, type EditConfig } from '../acd/support/acd-calls.js';
import { eventually, startHarness, type Harness, type HarnessOptions } from '../support/service-harness.js';

export const SECRETS: RecordingSecrets = { numberKey: 'recording-number-key-for-tests-0123456789' };
export const AGENT_TOKEN = { name: 'a1001', role: 'agent' as const, token: 'agent-a1001-token-7c1d2e' };
export const OTHER_AGENT_TOKEN = { name: 'a1002', role: 'agent' as const, token: 'agent-a1002-token-3b9f4a' };
export const SUPERVISOR_TOKEN = { name: 'duty-desk', role: 'supervisor' as const, token: 'supervisor-token-5f2e9c1a' };

export interface RecordedHarness extends Harness {
  /** The archive's root: breakStorage makes it a file, mendStorage a directory again. */
  root: string;
  breakStorage(): void;
  mendStorage(): void;
}

export function recordingSection(root: string): HotlineConfig['recording'] {
  return RecordingConfigSchema.parse({
    capture: { finishWaitSeconds: 2, startWaitSeconds: 2, handoverRetry: { firstMs: 20, maxMs: 200 } },
    storage: { kind: 'fs', root },
  });
}

/** Starts recorded services for a test and closes them after; `storage: 'broken'` starts with the archive refusing. */
export function useRecordedCalls(): (o?: { edit?: EditConfig; storage?: 'broken'; harness?: HarnessOptions; root?: string }) => Promise<RecordedHarness> {
  let running: Harness[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(running.map((h) => h.close()));
    running = [];
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return async (o = {}) => {
    let root = o.root;
    if (!root) {
      const dir = mkdtempSync(join(tmpdir(), 'recording-archive-'));
      dirs.push(dir);
      root = join(dir, 'store');
    }
    const storageRoot = root;
    const breakStorage = () => {
      rmSync(storageRoot, { recursive: true, force: true });
      writeFileSync(storageRoot, 'not a directory');
    };
    const mendStorage = () => {
      rmSync(storageRoot, { force: true });
      mkdirSync(storageRoot, { recursive: true });
    };
    if (o.storage === 'broken') breakStorage();
    else if (!o.root) mendStorage();
    const h = await startHarness({
      apiTokens: [AGENT_TOKEN, OTHER_AGENT_TOKEN, SUPERVISOR_TOKEN],
      ...o.harness,
      config: await acdConfig(o.edit),
      recording: recordingSection(storageRoot),
      recordingSecrets: SECRETS,
    });
    running.push(h);
    return Object.assign(h, { root: storageRoot, breakStorage, mendStorage });
  };
}

/** Agent a1001 logged in with a softphone that answers; a citizen through the menu to them. */
export async function callWithAgent(h: Harness, from = '13912345678'): Promise<{ channelId: string; callId: string; agentLeg: string }> {
  h.sim.registerEndpoint('1001', { phone: { kind: 'answer', afterMs: 100 } });
  await h.service.acd!.desk.login({ id: 'a1001', ...agentProfile('1001') });
  const channelId = await callToQueue(h, from);
  const callId = callIdOf(h, channelId);
  await untilAgent(h, 'a1001', 'on-call');
  await eventually(() => talkBridge(h, callId)?.channels.length === 2, 5000, 'caller and agent bridged');
  return { channelId, callId, agentLeg: talkBridge(h, callId)!.channels.find((c) => c !== channelId)! };
}

/** The Asterisk recordings (stored files) of a call, by name. */
export function storedOnAsterisk(h: Harness, callId: string): string[] {
  return readdirSync(h.sim.recordingsDir).filter((f) => f.includes(callId));
}

export function recordedEvent(h: Harness, callId: string): DomainEventOf<'call.recorded'> | undefined {
  return h.events.find((e): e is DomainEventOf<'call.recorded'> => e.type === 'call.recorded' && e.callId === callId);
}

export async function manifestOf(h: Harness, callId: string): Promise<Manifest | null> {
  const event = recordedEvent(h, callId);
  return event ? h.service.recording!.archive.archive.manifest(event.data.recordingId) : null;
}

export async function captureCount(h: Harness, event: string): Promise<number> {
  const metric = await h.service.metrics.getSingleMetric('hotline_recording_capture_total')?.get();
  return metric?.values.find((v) => v.labels.event === event)?.value ?? 0;
}

export function digests(bytes: Buffer): { sha256: string; sm3: string } {
  return { sha256: createHash('sha256').update(bytes).digest('hex'), sm3: createHash('sm3').update(bytes).digest('hex') };
}

/** Audio milliseconds of an 8 kHz 16-bit mono wav (Asterisk's `wav`). */
export function wavAudioMs(bytes: Buffer): number {
  return bytes.readUInt32LE(40) / 16;
}

export function answeredAt(h: Harness, callId: string): number {
  const e = h.events.find((x) => x.type === 'call.answered' && x.callId === callId);
  return Date.parse(e!.at);
}

/** Waits until an asynchronous check holds (a metric, Redis); fails naming `what` when it does not in time. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  await vi.waitFor(async () => {
    if (!(await check())) throw new Error(`${what} not reached within ${timeoutMs} ms`);
  }, { timeout: timeoutMs, interval: 20 });
}

/** When the simulator sent the events of a recording (wall ms; its clock runs `speed` times faster). */
export function recordingMoments(h: Harness, name: string): { started: number[]; finished: number | undefined } {
  const of = (type: string) =>
    h.sim.events().filter((e) => e.event.type === type && (e.event.recording as { name: string }).name === name).map((e) => Date.parse(String(e.event.timestamp).replace('+0000', 'Z')));
  return { started: of('RecordingStarted'), finished: of('RecordingFinished')[0] };
}

/** The position in the simulator's event log of the first event matching. */
export function simEventIndex(h: Harness, match: (event: Record<string, unknown>) => boolean): number {
  return h.sim.events().findIndex((e) => match(e.event));
}

/** When the simulator announced the caller's hangup (wall ms). */
export function hangupMoment(h: Harness, channelId: string): number {
  const e = h.sim.events().find((x) => x.event.type === 'ChannelHangupRequest' && (x.event.channel as { id: string }).id === channelId);
  return Date.parse(String(e!.event.timestamp).replace('+0000', 'Z'));
}
