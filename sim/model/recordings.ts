/**
 * Live and stored recordings. A live recording writes `<name>.<format>` into the
 * recordings directory when it finishes; stored recordings are simply the files there,
 * which is also how Asterisk's `/recordings/stored` works (it lists its spool directory).
 *
 * A channel recording follows wall time; a bridge recording only the stretches where audio
 * flows, i.e. while two or more channels are in the bridge (s15). A channel in a bridge
 * cannot be recorded: 201, then RecordingFailed.
 *
 * Pause, mute and their undoing follow res_stasis_recording's table of operations: pause
 * only while recording, unpause only while paused, mute and unmute in either state; any
 * other answers 409 "Recording not in session". Paused time is not written to the file and
 * not counted in `duration`; pausing sends no event, unpausing sends RecordingStarted again
 * (the state is `recording` once more). Muted time is written (as silence in Asterisk; the
 * simulator's tone does not tell the difference).
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setPseudoMember } from './bridges.js';
import { appsForTarget as appsFor, splitTarget } from './media-target.js';
import type { SimLiveRecording } from './types.js';
import { rawAudioFile, wavFile } from './wav.js';
import { snapshotRecording, type World } from './world.js';

export const RECORDING_NAME = /^(?!.*\.\.)[A-Za-z0-9_.@-]+(\/[A-Za-z0-9_.@-]+)*$/;
export const RECORDING_FORMATS = ['wav', 'wav16', 'gsm', 'ulaw', 'alaw', 'sln'] as const;

export interface RecordRequest {
  name: string;
  format: string;
  maxDurationSeconds: number;
  terminateOn: string;
}

/** Starts recording `targetUri`; channel recordings are announced before the REST answer. */
export function startRecording(world: World, targetUri: string, req: RecordRequest): SimLiveRecording {
  const r: SimLiveRecording = {
    name: req.name,
    format: req.format,
    targetUri,
    state: 'queued',
    startedAt: world.clock.now(),
    terminateOn: req.terminateOn,
    audioMs: 0,
    pausedMs: 0,
  };
  world.liveRecordings.set(r.name, r);
  const [kind, id] = splitTarget(targetUri);
  const bridged = kind === 'channel' ? world.channels.get(id)?.bridgeId !== undefined : false;
  if (bridged) {
    world.clock.after(2, () => failRecording(world, r, 'Cannot record channel while in bridge'));
    return r;
  }
  const begin = () => {
    if (r.state !== 'queued') return;
    r.state = 'recording';
    r.startedAt = world.clock.now();
    if (kind === 'bridge') audioFlowChanged(world, id);
    world.hub.emit(appsFor(world, targetUri), 'RecordingStarted', { recording: snapshotRecording(r) });
    if (req.maxDurationSeconds > 0) r.cancelTimer = world.clock.after(req.maxDurationSeconds * 1000, () => finishRecording(world, r, 'done'));
  };
  if (targetUri.startsWith('bridge:')) {
    const b = world.bridges.get(targetUri.slice(7));
    if (b) setPseudoMember(world, b, 'recorder', `Recorder/ARI-${world.nextName('local')};2`);
    world.clock.after(1, begin);
  } else {
    begin();
  }
  return r;
}

/** Ends a live recording: `done` keeps the file, `canceled` discards it. */
export function finishRecording(world: World, r: SimLiveRecording, state: 'done' | 'canceled'): void {
  if (r.state !== 'recording' && r.state !== 'queued' && r.state !== 'paused') return;
  r.cancelTimer?.();
  const [kind] = splitTarget(r.targetUri);
  if (kind === 'bridge') settleAudio(world, r, false);
  endPause(world, r);
  const elapsed = kind === 'bridge' ? r.audioMs : world.clock.simElapsed(r.startedAt) - r.pausedMs;
  const elapsedMs = r.state === 'queued' ? 0 : Math.max(0, elapsed);
  r.state = state;
  world.liveRecordings.delete(r.name);
  const file = storedPath(world, r.name, r.format);
  if (state === 'done') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, r.format === 'wav' ? wavFile(elapsedMs) : rawAudioFile(r.format, elapsedMs));
  }
  // Asterisk counts whole seconds of audio written; frames lag the wall clock slightly.
  // A canceled recording is reported `done`, with nothing written (s15).
  const duration = state === 'canceled' ? 0 : Math.floor(elapsedMs / 1000 + 0.05);
  const shown = { ...r, state: 'done' as const };
  world.hub.emit(appsFor(world, r.targetUri), 'RecordingFinished', { recording: snapshotRecording(shown, duration) });
  if (r.targetUri.startsWith('bridge:')) {
    const b = world.bridges.get(r.targetUri.slice(7));
    if (b?.recorder) setPseudoMember(world, b, 'recorder', undefined);
  }
}

export type RecordingOperation = 'pause' | 'unpause' | 'mute' | 'unmute';

/** The states each operation is allowed in (res_stasis_recording); false: 409 "Recording not in session". */
export function operateRecording(world: World, r: SimLiveRecording, op: RecordingOperation): boolean {
  const allowed: Record<RecordingOperation, SimLiveRecording['state'][]> = {
    pause: ['recording'],
    unpause: ['paused'],
    mute: ['recording', 'paused'],
    unmute: ['recording', 'paused'],
  };
  if (!allowed[op].includes(r.state)) return false;
  const [kind, id] = splitTarget(r.targetUri);
  if (op === 'pause') {
    if (kind === 'bridge') settleAudio(world, r, false);
    r.state = 'paused';
    r.pausedSince = world.clock.now();
  } else if (op === 'unpause') {
    endPause(world, r);
    r.state = 'recording';
    if (kind === 'bridge') audioFlowChanged(world, id);
    world.hub.emit(appsFor(world, r.targetUri), 'RecordingStarted', { recording: snapshotRecording(r) });
  } else {
    r.muted = op === 'mute';
  }
  return true;
}

function endPause(world: World, r: SimLiveRecording): void {
  if (r.pausedSince === undefined) return;
  r.pausedMs += world.clock.simElapsed(r.pausedSince);
  r.pausedSince = undefined;
}

function failRecording(world: World, r: SimLiveRecording, cause: string): void {
  if (r.state !== 'queued') return;
  r.state = 'failed';
  world.liveRecordings.delete(r.name);
  world.hub.emit(appsFor(world, r.targetUri), 'RecordingFailed', { recording: snapshotRecording(r, undefined, cause) });
}

/** Adds the audio that flowed since the last change; `flowing` says whether it flows from now on. */
function settleAudio(world: World, r: SimLiveRecording, flowing: boolean): void {
  if (r.flowingSince !== undefined) r.audioMs += world.clock.simElapsed(r.flowingSince);
  r.flowingSince = flowing ? world.clock.now() : undefined;
}

/** A bridge's membership changed: its recordings note whether audio flows now. */
export function audioFlowChanged(world: World, bridgeId: string): void {
  const b = world.bridges.get(bridgeId);
  const flowing = (b?.channels.length ?? 0) >= 2;
  for (const r of world.liveRecordings.values()) {
    if (r.targetUri === `bridge:${bridgeId}` && r.state === 'recording') settleAudio(world, r, flowing);
  }
}

/** Whether a channel is being recorded (bridges.addChannel refuses it with 409). */
export function isRecording(world: World, channelId: string): boolean {
  return [...world.liveRecordings.values()].some((r) => r.targetUri === `channel:${channelId}` && (r.state === 'recording' || r.state === 'queued'));
}

export function finishRecordingsOf(world: World, targetUri: string): void {
  for (const r of [...world.liveRecordings.values()]) if (r.targetUri === targetUri) finishRecording(world, r, 'done');
}

/** A DTMF digit on a recorded channel ends recordings whose terminateOn matches it. */
export function recordingDtmf(world: World, channelId: string, digit: string): void {
  for (const r of [...world.liveRecordings.values()]) {
    if (r.targetUri !== `channel:${channelId}`) continue;
    if (r.terminateOn === 'any' || r.terminateOn === digit) finishRecording(world, r, 'done');
  }
}

function storedPath(world: World, name: string, format: string): string {
  return join(world.opts.recordingsDir, `${name}.${format}`);
}

export interface StoredRecording { name: string; format: string; path: string }

export function listStored(world: World): StoredRecording[] {
  const out: StoredRecording[] = [];
  const walk = (dir: string, prefix: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir).sort()) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) {
        walk(full, `${prefix}${entry}/`);
        continue;
      }
      const dot = entry.lastIndexOf('.');
      if (dot <= 0) continue;
      out.push({ name: `${prefix}${entry.slice(0, dot)}`, format: entry.slice(dot + 1), path: full });
    }
  };
  walk(world.opts.recordingsDir, '');
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function findStored(world: World, name: string): StoredRecording | undefined {
  return listStored(world).find((r) => r.name === name);
}

export function readStored(rec: StoredRecording): Buffer {
  return readFileSync(rec.path);
}

export function deleteStored(rec: StoredRecording): void {
  rmSync(rec.path, { force: true });
}

export function copyStored(world: World, rec: StoredRecording, destination: string): StoredRecording {
  const path = storedPath(world, destination, rec.format);
  mkdirSync(dirname(path), { recursive: true });
  copyFileSync(rec.path, path);
  return { name: destination, format: rec.format, path };
}
