/**
 * Recording archive: how many finished recordings the archive stores per second on the fs
 * store (1-minute 8 kHz 16-bit mono WAV files, 960 KB: digests, staged file + fsync, link,
 * manifest + fsync, Redis index), against the disk's own pace for the same bytes (plain
 * write + fsync of each file); and hashing throughput — SHA-256 and SM3 in one pass, and
 * each alone — against the disk's write speed. Medians over several runs, and ratios.
 *
 *   npx tsx bench/recording-archive.ts       (BENCH_RUNS=5 BENCH_RECORDINGS=40 to change)
 *
 * Files go under var/bench-recordings (the repository's disk, not a tmpfs). Uses a private
 * redis-server when one is on the PATH, else REDIS_URL.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createRecordingArchive, Digester, RecordingConfigSchema, wavHeader, type FinishedRecording } from '../src/recording/index.js';
import { startPrivateRedis } from './support/private-redis.js';
import { median, reportFigure } from './support/stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? (process.env.BENCH_QUICK === '1' ? 1 : 5));
const RECORDINGS = Number(process.env.BENCH_RECORDINGS ?? (process.env.BENCH_QUICK === '1' ? 5 : 30));
const HASH_MB = Number(process.env.BENCH_HASH_MB ?? (process.env.BENCH_QUICK === '1' ? 8 : 64));
const ROOT = join('var', 'bench-recordings');
const MB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** One minute of 8 kHz 16-bit mono: 960,000 bytes of samples behind the 44-byte header. */
const SAMPLES = randomBytes(60 * 16_000);
const WAV = Buffer.concat([wavHeader(SAMPLES.length), SAMPLES]);

function chunksOf(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) chunks.push(bytes.subarray(i, i + CHUNK));
  return chunks;
}
const WAV_CHUNKS = chunksOf(WAV);

function recording(callId: string, i: number): FinishedRecording {
  const start = new Date(Date.UTC(2026, 11, 2, 8, 0, 0) + i * 61_000);
  return {
    callId,
    asteriskName: callId,
    callerNumber: '13812345678',
    dialled: '12345',
    line: 'main',
    startedAt: start.toISOString(),
    endedAt: new Date(start.getTime() + 60_000).toISOString(),
    format: 'wav',
    pauses: [],
    open: async () => Readable.from(WAV_CHUNKS),
  };
}

/** Seconds to ingest RECORDINGS recordings, `parallel` at a time (calls end together at busy hours). */
async function archiveRun(redisUrl: string, dir: string, parallel: number): Promise<number> {
  const redis = new Redis(redisUrl);
  const config = RecordingConfigSchema.parse({ storage: { kind: 'fs', root: dir } });
  const wired = createRecordingArchive({ config, redis, keyPrefix: `bench-${randomUUID()}:`, secrets: { numberKey: 'bench-number-key-of-at-least-32-characters' }, registry: new Registry(), log: pino({ level: 'silent' }) });
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < RECORDINGS; i = next++) await wired.sink.ingest(recording(`bench-${randomUUID()}`, i));
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const seconds = (performance.now() - started) / 1000;
  await wired.stop();
  redis.disconnect();
  return seconds;
}

/** Seconds to write the same files plainly: open, write, fsync, close, fsync the directory. */
async function plainRun(dir: string): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  for (let i = 0; i < RECORDINGS; i++) {
    const handle = await open(join(dir, `${i}.wav`), 'wx');
    await handle.writeFile(WAV);
    await handle.sync();
    await handle.close();
    const parent = await open(dir, 'r');
    await parent.sync();
    await parent.close();
  }
  return (performance.now() - started) / 1000;
}

/** MB/s of digesting HASH_MB in 64 KB chunks. */
function hashRun(kind: 'both' | 'sha256' | 'sm3', data: Buffer[]): number {
  const started = performance.now();
  if (kind === 'both') {
    const digester = new Digester();
    for (const chunk of data) digester.update(chunk);
    digester.result();
  } else {
    const hash = createHash(kind);
    for (const chunk of data) hash.update(chunk);
    hash.digest();
  }
  return HASH_MB / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const redis = await startPrivateRedis();
  rmSync(ROOT, { recursive: true, force: true });
  const archived: number[] = [];
  const archived4: number[] = [];
  const plain: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      archived.push(RECORDINGS / (await archiveRun(redis.url, join(ROOT, `archive-${run}`), 1)));
      archived4.push(RECORDINGS / (await archiveRun(redis.url, join(ROOT, `archive4-${run}`), 4)));
      plain.push(RECORDINGS / (await plainRun(join(ROOT, `plain-${run}`))));
      rmSync(ROOT, { recursive: true, force: true });
    }
  } finally {
    redis.stop();
    rmSync(ROOT, { recursive: true, force: true });
  }
  const data = chunksOf(randomBytes(HASH_MB * MB));
  const both: number[] = [];
  const sha: number[] = [];
  const sm3: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    both.push(hashRun('both', data));
    sha.push(hashRun('sha256', data));
    sm3.push(hashRun('sm3', data));
  }
  const fileMb = WAV.length / MB;
  const rows = [
    { metric: 'archive: recordings stored (fs, 1-min 8 kHz wav, one at a time)', value: median(archived), unit: 'recordings/s' },
    { metric: 'archive: recordings stored, 4 at a time', value: median(archived4), unit: 'recordings/s' },
    { metric: 'disk: the same files, plain write + fsync', value: median(plain), unit: 'files/s' },
    { metric: 'ratio archive / plain write', value: median(archived) / median(plain), unit: '×' },
    { metric: 'ratio archive 4 at a time / plain write', value: median(archived4) / median(plain), unit: '×' },
    { metric: 'archive throughput', value: median(archived) * fileMb, unit: 'MB/s' },
    { metric: 'disk write + fsync throughput', value: median(plain) * fileMb, unit: 'MB/s' },
    { metric: 'hashing SHA-256 + SM3, one pass', value: median(both), unit: 'MB/s' },
    { metric: 'hashing SHA-256 alone', value: median(sha), unit: 'MB/s' },
    { metric: 'hashing SM3 alone', value: median(sm3), unit: 'MB/s' },
    { metric: 'ratio one-pass hashing / disk write', value: median(both) / (median(plain) * fileMb), unit: '×' },
  ];
  console.log(`recording archive: ${RECORDINGS} recordings of ${WAV.length} bytes per run, ${HASH_MB} MB hashed per run, ${RUNS} runs, medians`);
  console.table(rows.map((r) => ({ metric: r.metric, median: `${r.value.toFixed(r.unit === '×' ? 2 : 1)} ${r.unit}` })));
  for (const r of rows) reportFigure('recording-archive', r.metric, r.value, r.unit);
}

await main();
