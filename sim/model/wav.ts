/**
 * Writes the audio files recordings leave on disk. A `.wav` is a real RIFF/WAVE file,
 * 8 kHz 16-bit mono like Asterisk's `wav` format, holding a quiet 440 Hz tone for the
 * recorded duration, so players, digests and size checks behave as with real recordings.
 */
const RATE = 8000;

export function wavFile(durationMs: number): Buffer {
  const samples = Math.max(0, Math.round((durationMs / 1000) * RATE));
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    data.writeInt16LE(Math.round(300 * Math.sin((2 * Math.PI * 440 * i) / RATE)), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Other formats are headerless: silence in the format's own byte size per sample. */
export function rawAudioFile(format: string, durationMs: number): Buffer {
  const samples = Math.max(0, Math.round((durationMs / 1000) * RATE));
  if (format === 'sln') return Buffer.alloc(samples * 2);
  if (format === 'wav16') return Buffer.alloc(samples * 4);
  return Buffer.alloc(samples, format === 'alaw' ? 0xd5 : 0xff);
}

export const AUDIO_CONTENT_TYPES: Readonly<Record<string, string>> = {
  wav: 'audio/wav',
  wav16: 'audio/wav',
  gsm: 'audio/x-gsm',
  ulaw: 'audio/basic',
  alaw: 'audio/x-alaw-basic',
  sln: 'audio/x-sln',
};
