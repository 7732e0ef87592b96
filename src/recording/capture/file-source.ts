/**
 * Where the hand-over reads a finished recording's bytes: over ARI (GET
 * /recordings/stored/{name}/file, served whole with its Content-Length, trace s4/s15) or
 * straight from Asterisk's recording spool when the service shares that directory.
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { AriPort } from '../../ari/index.js';
import type { CaptureConfig } from './config-schema.js';

export type OpenRecording = (name: string, format: string) => Promise<Readable>;

export function recordingFileSource(ari: AriPort, fetch: CaptureConfig['fetch']): OpenRecording {
  if (fetch.from === 'ari') {
    return async (name) => Readable.from([await ari.getStoredRecordingFile(name)]);
  }
  return async (name, format) => {
    const path = join(fetch.spoolDir, `${name}.${format}`);
    // Fails here, not half-way through the archive's read, when the file is not there.
    await access(path);
    return createReadStream(path);
  };
}
