/**
 * `/recordings` routes: live recordings (get, stop, cancel) and the stored ones on disk
 * (list, get, file, copy, delete).
 */
import { z } from 'zod';
import { copyStored, deleteStored, findStored, finishRecording, listStored, operateRecording, RECORDING_NAME, readStored, type RecordingOperation } from '../model/recordings.js';
import { AUDIO_CONTENT_TYPES } from '../model/wav.js';
import { snapshotRecording, type World } from '../model/world.js';
import { message, noContent, notFound, ok, parseQuery, ReplyError, route, type Route } from './kit.js';

function stored(world: World, name: string | undefined) {
  const rec = name === undefined ? undefined : findStored(world, name);
  if (!rec) throw new ReplyError(notFound('Recording'));
  return rec;
}

function live(world: World, name: string | undefined) {
  const rec = name === undefined ? undefined : world.liveRecordings.get(name);
  if (!rec) throw new ReplyError(notFound('Recording'));
  return rec;
}

function operate(world: World, name: string | undefined, op: RecordingOperation) {
  if (!operateRecording(world, live(world, name), op)) throw new ReplyError(message(409, 'Recording not in session'));
  return noContent();
}

export const recordingRoutes: Route[] = [
  route('GET', '/recordings/stored', ({ world }) => ok(listStored(world).map(({ name, format }) => ({ name, format })))),
  route('GET', '/recordings/stored/{recordingName}', ({ world, params }) => {
    const { name, format } = stored(world, params.recordingName);
    return ok({ name, format });
  }),
  route('DELETE', '/recordings/stored/{recordingName}', ({ world, params }) => {
    deleteStored(stored(world, params.recordingName));
    return noContent();
  }),
  route('GET', '/recordings/stored/{recordingName}/file', ({ world, params }) => {
    const rec = stored(world, params.recordingName);
    return { status: 200, raw: readStored(rec), contentType: AUDIO_CONTENT_TYPES[rec.format] ?? 'application/octet-stream' };
  }),
  route('POST', '/recordings/stored/{recordingName}/copy', ({ world, params, query }) => {
    const q = parseQuery(z.object({ destinationRecordingName: z.string().max(255).optional() }), query);
    if (!q.destinationRecordingName) throw new ReplyError(message(400, 'Destination recording name is required'));
    if (!RECORDING_NAME.test(q.destinationRecordingName)) throw new ReplyError(message(400, 'Destination file path is invalid'));
    const rec = stored(world, params.recordingName);
    if (findStored(world, q.destinationRecordingName)) {
      throw new ReplyError(message(409, 'A recording with the same name already exists on the system'));
    }
    const copy = copyStored(world, rec, q.destinationRecordingName);
    return ok({ name: copy.name, format: copy.format });
  }),
  route('GET', '/recordings/live/{recordingName}', ({ world, params }) => ok(snapshotRecording(live(world, params.recordingName)))),
  route('DELETE', '/recordings/live/{recordingName}', ({ world, params }) => {
    finishRecording(world, live(world, params.recordingName), 'canceled');
    return noContent();
  }),
  route('POST', '/recordings/live/{recordingName}/stop', ({ world, params }) => {
    finishRecording(world, live(world, params.recordingName), 'done');
    return noContent();
  }),
  ...(['pause', 'mute'] as const).flatMap((what) => [
    route('POST', `/recordings/live/{recordingName}/${what}`, ({ world, params }) => operate(world, params.recordingName, what)),
    route('DELETE', `/recordings/live/{recordingName}/${what}`, ({ world, params }) => operate(world, params.recordingName, `un${what}`)),
  ]),
];
