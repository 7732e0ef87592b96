/**
 * A WAV file's duration from its header and its size: the `fmt ` chunk's byte rate and the
 * `data` chunk's length. Asterisk writes the real data length when it closes the file; a
 * header still holding 0 or 0xFFFFFFFF (a file taken while being written) falls back to
 * the bytes actually there.
 */
import { RecordingError } from './errors.js';

/** Enough of the file to find `fmt ` and `data` behind any LIST/fact chunks Asterisk or sox put first. */
export const WAV_HEADER_BYTES = 4096;

export interface WavInfo {
  byteRate: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  dataOffset: number;
  /** The `data` chunk's declared size (may be 0 or 0xFFFFFFFF for an unfinished header). */
  declaredDataBytes: number;
}

export function readWavHeader(head: Buffer): WavInfo {
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') {
    throw new RecordingError('badAudio', 'not a RIFF/WAVE file');
  }
  let offset = 12;
  let fmt: Omit<WavInfo, 'dataOffset' | 'declaredDataBytes'> | undefined;
  while (offset + 8 <= head.length) {
    const id = head.toString('ascii', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 16 <= head.length) {
      fmt = {
        channels: head.readUInt16LE(body + 2),
        sampleRate: head.readUInt32LE(body + 4),
        byteRate: head.readUInt32LE(body + 8),
        bitsPerSample: head.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt || fmt.byteRate === 0) throw new RecordingError('badAudio', 'WAV data before a usable fmt chunk');
      return { ...fmt, dataOffset: body, declaredDataBytes: size };
    }
    // Chunks are padded to an even length (RIFF).
    offset = body + size + (size % 2);
  }
  throw new RecordingError('badAudio', `no WAV data chunk in the first ${head.length} bytes`);
}

/** Seconds of audio, to the millisecond, for a file of `totalBytes` with this header. */
export function wavDurationSeconds(info: WavInfo, totalBytes: number): number {
  const present = Math.max(0, totalBytes - info.dataOffset);
  const declared = info.declaredDataBytes;
  const dataBytes = declared === 0 || declared === 0xffffffff ? present : Math.min(declared, present);
  return Math.round((dataBytes / info.byteRate) * 1000) / 1000;
}

/** A PCM WAV header for `dataBytes` of audio (tests and the benchmark make files with it). */
export function wavHeader(dataBytes: number, sampleRate = 8000, channels = 1, bitsPerSample = 16): Buffer {
  const header = Buffer.alloc(44);
  const blockAlign = (channels * bitsPerSample) / 8;
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(bitsPerSample, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}
