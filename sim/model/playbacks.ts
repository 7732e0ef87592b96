/**
 * Playbacks on channels and bridges: queued, then PlaybackStarted, PlaybackContinuing on
 * each further item of a media list, PlaybackFinished `done` when the last item ends or the
 * playback is stopped, `failed` when the channel goes away under it or the last item cannot
 * be played (a missing file, no codec translation path: see media-files.ts; an earlier item
 * that fails lets the list continue, as res_stasis_playback does). One playback plays on a
 * channel at a time; later ones wait their turn. DTMF queued by sendDTMF goes out when the
 * channel's playbacks are over (s2).
 */
import { setPseudoMember } from './bridges.js';
import { planMedia } from './media-files.js';
import { appsForTarget as appsFor, splitTarget } from './media-target.js';
import type { SimChannel, SimPlayback } from './types.js';
import { snapshotPlayback, type World } from './world.js';

function emit(world: World, p: SimPlayback, type: string): void {
  world.hub.emit(appsFor(world, p.targetUri), type, { playback: snapshotPlayback(p) });
}

/** The format audio must reach on the target: the channel's, or signed linear for a bridge's announcer. */
function targetFormat(world: World, targetUri: string): string {
  const [kind, id] = splitTarget(targetUri);
  return kind === 'channel' ? world.channels.get(id)?.format ?? 'slin' : 'slin';
}

/** Creates a playback in state `queued` and schedules it. */
export function startPlayback(world: World, targetUri: string, id: string, media: string[], language: string): SimPlayback {
  const p: SimPlayback = { id, media, index: 0, targetUri, language, state: 'queued' };
  world.playbacks.set(id, p);
  const [kind] = splitTarget(targetUri);
  const busy = [...world.playbacks.values()].some((o) => o !== p && o.targetUri === targetUri && o.state === 'playing');
  if (kind === 'bridge') world.clock.after(3, () => begin(world, p));
  else if (!busy) world.clock.after(1, () => begin(world, p));
  return p;
}

function begin(world: World, p: SimPlayback): void {
  if (p.state !== 'queued') return;
  const [kind, id] = splitTarget(p.targetUri);
  if (kind === 'bridge') {
    const b = world.bridges.get(id);
    if (!b) return finish(world, p, 'failed');
    // The bridge's MOH holds the announcer slot: the playback starts and fails at once (s13).
    if (b.announcerSlot?.kind === 'moh') {
      p.state = 'playing';
      emit(world, p, 'PlaybackStarted');
      return finish(world, p, 'failed');
    }
    setPseudoMember(world, b, 'announcer', `Announcer/ARI-${world.nextName('local')};2`);
  }
  p.state = 'playing';
  emit(world, p, 'PlaybackStarted');
  schedule(world, p);
}

function schedule(world: World, p: SimPlayback): void {
  const media = p.media[p.index] ?? '';
  const plan = planMedia(world, media, p.language, targetFormat(world, p.targetUri));
  for (const { quiet, ...sound } of plan.sounds) world.logSound({ playbackId: p.id, targetUri: p.targetUri, ...sound }, quiet);
  p.cancelTimer = world.clock.after(plan.ms, () => {
    if (p.state !== 'playing') return;
    if (p.index + 1 < p.media.length) {
      p.index += 1;
      emit(world, p, 'PlaybackContinuing');
      schedule(world, p);
    } else {
      finish(world, p, plan.failed ? 'failed' : 'done');
    }
  });
}

function finish(world: World, p: SimPlayback, state: 'done' | 'failed'): void {
  p.cancelTimer?.();
  const wasPlaying = p.state === 'playing';
  p.state = state;
  world.playbacks.delete(p.id);
  if (wasPlaying || state === 'done') emit(world, p, 'PlaybackFinished');
  const [kind, id] = splitTarget(p.targetUri);
  if (kind === 'bridge') {
    const b = world.bridges.get(id);
    if (b && b.announcer && !otherPlaying(world, p.targetUri)) setPseudoMember(world, b, 'announcer', undefined);
  }
  startNext(world, p.targetUri);
}

function otherPlaying(world: World, targetUri: string): boolean {
  return [...world.playbacks.values()].some((o) => o.targetUri === targetUri && o.state === 'playing');
}

function startNext(world: World, targetUri: string): void {
  const next = [...world.playbacks.values()].find((o) => o.targetUri === targetUri && o.state === 'queued');
  if (next) {
    begin(world, next);
    return;
  }
  const [kind, id] = splitTarget(targetUri);
  const ch = kind === 'channel' ? world.channels.get(id) : undefined;
  if (ch) flushDtmf(ch);
}

function flushDtmf(ch: SimChannel): void {
  const queued = ch.queuedDtmf.splice(0);
  for (const send of queued) send();
}

/** DELETE /playbacks/{id}: the playback ends `done`. */
export function stopPlayback(world: World, p: SimPlayback): void {
  finish(world, p, 'done');
}

/** The target went away: a playing playback ends `failed`, queued ones vanish. */
export function failPlaybacksOf(world: World, targetUri: string): void {
  for (const p of [...world.playbacks.values()]) {
    if (p.targetUri !== targetUri) continue;
    if (p.state === 'playing') {
      p.cancelTimer?.();
      p.state = 'failed';
      world.playbacks.delete(p.id);
      emit(world, p, 'PlaybackFinished');
    } else {
      world.playbacks.delete(p.id);
    }
  }
}

export function isPlaying(world: World, ch: SimChannel): boolean {
  const uri = `channel:${ch.id}`;
  return [...world.playbacks.values()].some((p) => p.targetUri === uri);
}
