/**
 * Media routes shared by channels and bridges: play and record, with Asterisk's checks
 * (a recording name in use with ifExists=fail is a 409, a bad format a 422).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { splitTarget } from '../model/media-target.js';
import { startPlayback } from '../model/playbacks.js';
import { findStored, RECORDING_FORMATS, RECORDING_NAME, startRecording } from '../model/recordings.js';
import { snapshotPlayback, snapshotRecording, type World } from '../model/world.js';
import { bool, created, int, list, message, parseQuery, ReplyError, type Reply } from './kit.js';

const MEDIA = /^(sound|recording|number|digits|characters|tone):[^,]+$/;

const PlayQuery = z.object({
  media: list.optional(),
  lang: z.string().max(32).optional(),
  offsetms: int(0, 86_400_000).optional(),
  skipms: int(0, 86_400_000).optional(),
  playbackId: z.string().max(128).optional(),
});

/**
 * Without `lang`, a channel's playback uses the channel's language; a bridge's uses that of
 * its announcer channel, which has Asterisk's default (`en`).
 */
function defaultLanguage(world: World, targetUri: string): string {
  const [kind, id] = splitTarget(targetUri);
  return kind === 'channel' ? world.channels.get(id)?.language ?? 'en' : 'en';
}

export function play(world: World, targetUri: string, query: URLSearchParams, forcedId?: string): Reply {
  const q = parseQuery(PlayQuery, query);
  if (!q.media || q.media.length === 0) throw new ReplyError(message(400, 'Required parameter media not provided'));
  const bad = q.media.find((m) => !MEDIA.test(m));
  if (bad !== undefined) throw new ReplyError(message(400, `Invalid media URI: ${bad}`));
  const id = forcedId ?? q.playbackId ?? randomUUID();
  if (world.playbacks.has(id)) throw new ReplyError(message(409, 'Playback with given ID already exists'));
  const p = startPlayback(world, targetUri, id, q.media, q.lang ?? defaultLanguage(world, targetUri));
  return created(snapshotPlayback(p));
}

const RecordQuery = z.object({
  name: z.string().max(255).optional(),
  format: z.string().optional(),
  maxDurationSeconds: int(0, 86_400).optional(),
  maxSilenceSeconds: int(0, 86_400).optional(),
  ifExists: z.enum(['fail', 'overwrite', 'append']).optional(),
  beep: bool.optional(),
  terminateOn: z.enum(['none', 'any', '*', '#']).optional(),
});

export function record(world: World, targetUri: string, query: URLSearchParams): Reply {
  const q = parseQuery(RecordQuery, query);
  if (!q.name) throw new ReplyError(message(400, 'Recording name is required'));
  if (!q.format) throw new ReplyError(message(400, 'Recording format is required'));
  if (!RECORDING_NAME.test(q.name)) throw new ReplyError(message(400, 'Recording name is invalid'));
  if (!(RECORDING_FORMATS as readonly string[]).includes(q.format)) {
    throw new ReplyError(message(422, `Recording format '${q.format}' is not supported`));
  }
  const ifExists = q.ifExists ?? 'fail';
  if (world.liveRecordings.has(q.name)) {
    const text = ifExists === 'fail'
      ? `Recording '${q.name}' already exists and can not be overwritten`
      : `Recording '${q.name}' is already in progress`;
    throw new ReplyError(message(409, text));
  }
  if (ifExists === 'fail' && findStored(world, q.name)) {
    throw new ReplyError(message(409, `Recording '${q.name}' already exists and can not be overwritten`));
  }
  const r = startRecording(world, targetUri, {
    name: q.name,
    format: q.format,
    maxDurationSeconds: q.maxDurationSeconds ?? 0,
    terminateOn: q.terminateOn ?? 'none',
  });
  return created(snapshotRecording(r));
}
