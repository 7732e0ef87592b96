/**
 * Shared by the recording tests: WAV bytes, a finished recording as the capture hands it
 * over, and an archive on a temporary fs store with the test run's Redis.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll } from 'vitest';
import { createRecordingArchive, FsRecordingStorage, RecordingConfigSchema, wavHeader, type FinishedRecording, type RecordingAlarm, type RecordingConfigInput, type RecordingStorage } from '../../src/recording/index.js';
import { createTestLogger } from '../support/test-logger.js';

export const NUMBER_KEY = 'test-number-key-of-at-least-32-characters';
export const CALLER = '13812345678';

/** A PCM WAV (8 kHz, 16-bit, mono) of `seconds` of random samples. */
export function wavBytes(seconds: number): Buffer {
  const data = randomBytes(Math.round(seconds * 16_000));
  return Buffer.concat([wavHeader(data.length), data]);
}

export function finished(callId: string, bytes: Buffer, overrides: Partial<FinishedRecording> = {}): FinishedRecording & { opened: number } {
  const recording = {
    callId,
    asteriskName: `rec-${callId}`,
    callerNumber: CALLER,
    dialled: '12345',
    line: 'main',
    startedAt: '2026-12-02T08:00:00.000Z',
    endedAt: '2026-12-02T08:01:00.000Z',
    format: 'wav',
    pauses: [],
    opened: 0,
    async open() {
      recording.opened++;
      // Small chunks: the digests and the WAV header reader must work across chunk borders.
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += 3001) chunks.push(bytes.subarray(i, i + 3001));
      return Readable.from(chunks);
    },
    ...overrides,
  };
  return recording;
}

/** A fresh directory removed after the file's tests. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function testArchive(redis: Redis, options: { config?: Partial<RecordingConfigInput>; storage?: RecordingStorage; stagingDir?: string; now?: () => Date; root?: string; keyPrefix?: string; onAlarm?: (alarm: RecordingAlarm) => void } = {}) {
  const root = options.root ?? tempDir('recordings');
  const config = RecordingConfigSchema.parse({ storage: { kind: 'fs', root, archiveRoot: `${root}-archive` }, ...options.config });
  const keyPrefix = options.keyPrefix ?? `test-${randomUUID()}:`;
  const wired = createRecordingArchive({
    config,
    redis,
    keyPrefix,
    secrets: { numberKey: NUMBER_KEY },
    registry: new Registry(),
    log: createTestLogger(),
    storage: options.storage,
    stagingDir: options.stagingDir,
    now: options.now,
    onAlarm: options.onAlarm,
  });
  return { ...wired, root, keyPrefix, config, storage: wired.storage as FsRecordingStorage | RecordingStorage };
}
