/**
 * The retention sweeper: finds recordings whose retain-until has passed (by the date index)
 * and deletes them, or moves them to the archive tier, unless a legal hold keeps them. One
 * instance sweeps at a time (a Redis lock); each run returns a report, logs one line and
 * counts what it did.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RecordingDisposal } from './disposal.js';
import type { RecordingIndex } from './index-store.js';
import type { RecordingKeys } from './keys.js';
import { retainUntilOf } from './manifest.js';
import type { RecordingMetrics } from './metrics.js';

export interface SweepReport {
  startedAt: string;
  examined: number;
  deleted: string[];
  archived: string[];
  /** Past retain-until, kept by a legal hold. */
  held: string[];
  failed: Array<{ recordingId: string; why: string }>;
  /** False when another instance was sweeping. */
  ran: boolean;
}

export interface SweeperDeps {
  disposal: RecordingDisposal;
  index: RecordingIndex;
  redis: Redis;
  keys: RecordingKeys;
  retentionYears: number;
  action: 'delete' | 'archive-tier';
  metrics: RecordingMetrics;
  log: Logger;
  now?: () => Date;
}

const BATCH = 200;
const LOCK_MS = 15 * 60_000;

export class RetentionSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<SweepReport> | null = null;

  constructor(private readonly deps: SweeperDeps) {}

  start(everyMs: number): void {
    this.timer ??= setInterval(() => void this.sweep().catch((err: Error) => this.deps.log.warn({ err: { message: err.message } }, 'retention sweep failed; next one at the next tick')), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One sweep now (also what the timer runs); a sweep already running is joined. */
  sweep(): Promise<SweepReport> {
    this.running ??= this.sweepOnce().finally(() => (this.running = null));
    return this.running;
  }

  private async sweepOnce(): Promise<SweepReport> {
    const { redis, keys, index, disposal, metrics, log } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    const report: SweepReport = { startedAt: now.toISOString(), examined: 0, deleted: [], archived: [], held: [], failed: [], ran: false };
    const token = randomUUID();
    if ((await redis.set(keys.sweepLock(), token, 'PX', LOCK_MS, 'NX')) !== 'OK') return report;
    report.ran = true;
    try {
      // Only calls that started at least `years` ago can have passed their retain-until.
      const before = new Date(retainUntilOf(now, -this.deps.retentionYears).getTime() + 1);
      // The candidates first: deleting takes recordings out of the date index, which would shift pages read meanwhile.
      const candidates: string[] = [];
      for (let offset = 0; ; offset += BATCH) {
        const ids = await index.startedBefore(before, offset, BATCH);
        candidates.push(...ids);
        if (ids.length < BATCH) break;
      }
      for (const recordingId of candidates) {
        report.examined++;
        try {
          const step = await disposal.sweep(recordingId, this.deps.action);
          if (step.do === 'delete') report.deleted.push(recordingId);
          if (step.do === 'archive-tier') report.archived.push(recordingId);
          if (step.do === 'keep' && step.why === 'legal-hold') report.held.push(recordingId);
        } catch (err) {
          report.failed.push({ recordingId, why: (err as Error).message });
        }
      }
    } finally {
      // Only our own lock: a sweep that outlived it must not free another instance's.
      if ((await redis.get(keys.sweepLock())) === token) await redis.del(keys.sweepLock());
    }
    for (const _ of report.deleted) metrics.swept('deleted');
    for (const _ of report.archived) metrics.swept('archived');
    for (const _ of report.held) metrics.swept('held');
    for (const _ of report.failed) metrics.swept('failed');
    const line = { examined: report.examined, deleted: report.deleted.length, archived: report.archived.length, held: report.held.length, failed: report.failed.length, firstFailure: report.failed[0] };
    if (report.failed.length) log.warn(line, 'retention sweep done, with failures');
    else log.info(line, 'retention sweep done');
    return report;
  }
}
