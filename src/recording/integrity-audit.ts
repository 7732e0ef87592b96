/**
 * The integrity audit: re-hashes recordings from the store and compares SHA-256, SM3 and
 * size with the manifest — a random sample every `audit.everyMinutes`, or one recording on
 * demand. A mismatch (bytes changed) or a missing object raises the alarm: an error line
 * with `alert: true` (what the centre's log alerting watches, as for an unreachable
 * emergency centre), the counter `hotline_recording_audits_total{result="mismatch"|"missing"}`
 * for Prometheus alert rules, and the `onAlarm` callback for the wiring to pass on.
 */
import type { Logger } from 'pino';
import type { RecordingArchive } from './archive.js';
import { digestStream, type Digests } from './digests.js';
import { isRecordingError } from './errors.js';
import type { RecordingIndex } from './index-store.js';
import type { RecordingMetrics } from './metrics.js';
import type { RecordingStorage } from './ports/recording-storage.js';

export type AuditResult = 'ok' | 'mismatch' | 'missing' | 'failed' | 'skipped';

export interface AuditCheck {
  recordingId: string;
  result: AuditResult;
  expected?: Digests;
  actual?: Digests;
  why?: string;
}

/** What the alarm carries, shaped like a domain event. */
export interface RecordingAlarm {
  type: 'recording.integrity-failed';
  recordingId: string;
  callId: string;
  result: 'mismatch' | 'missing';
  expected: Digests;
  actual: Digests | null;
  at: string;
}

export interface AuditReport {
  checked: number;
  ok: number;
  problems: AuditCheck[];
}

export interface IntegrityAuditDeps {
  archive: RecordingArchive;
  storage: RecordingStorage;
  index: RecordingIndex;
  metrics: RecordingMetrics;
  log: Logger;
  onAlarm?: (alarm: RecordingAlarm) => void;
}

export class IntegrityAudit {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: IntegrityAuditDeps) {}

  start(everyMs: number, sampleSize: number): void {
    this.timer ??= setInterval(() => void this.auditSample(sampleSize).catch((err: Error) => this.deps.log.warn({ err: { message: err.message } }, 'integrity audit failed; next one at the next tick')), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async auditSample(sampleSize: number): Promise<AuditReport> {
    const ids = await this.deps.index.sample(sampleSize);
    const report: AuditReport = { checked: 0, ok: 0, problems: [] };
    for (const recordingId of ids) {
      const check = await this.verify(recordingId);
      if (check.result === 'skipped') continue;
      report.checked++;
      if (check.result === 'ok') report.ok++;
      else report.problems.push(check);
    }
    this.deps.log.info({ checked: report.checked, ok: report.ok, problems: report.problems.length }, 'integrity audit done');
    return report;
  }

  /** Re-hashes one recording; `skipped` for one whose audio retention deleted. */
  async verify(recordingId: string): Promise<AuditCheck> {
    const manifest = await this.deps.archive.requireManifest(recordingId);
    if (manifest.disposition?.action === 'deleted') return { recordingId, result: 'skipped', why: 'deleted by retention' };
    const expected: Digests = { sha256: manifest.sha256, sm3: manifest.sm3, sizeBytes: manifest.sizeBytes };
    let actual: Digests;
    try {
      actual = (await digestStream(await this.deps.storage.get(manifest.key))).result();
    } catch (err) {
      if (isRecordingError(err, 'noSuchRecording')) {
        this.alarm({ type: 'recording.integrity-failed', recordingId, callId: manifest.callId, result: 'missing', expected, actual: null, at: new Date().toISOString() });
        return { recordingId, result: 'missing', expected };
      }
      this.deps.metrics.audited('failed');
      return { recordingId, result: 'failed', expected, why: (err as Error).message };
    }
    const same = actual.sha256 === expected.sha256 && actual.sm3 === expected.sm3 && actual.sizeBytes === expected.sizeBytes;
    if (same) {
      this.deps.metrics.audited('ok');
      return { recordingId, result: 'ok', expected, actual };
    }
    this.alarm({ type: 'recording.integrity-failed', recordingId, callId: manifest.callId, result: 'mismatch', expected, actual, at: new Date().toISOString() });
    return { recordingId, result: 'mismatch', expected, actual };
  }

  private alarm(alarm: RecordingAlarm): void {
    this.deps.metrics.audited(alarm.result);
    this.deps.log.error({ alert: true, recordingId: alarm.recordingId, callId: alarm.callId, result: alarm.result, expected: alarm.expected, actual: alarm.actual }, 'RECORDING INTEGRITY FAILED: the stored audio does not match its manifest');
    try {
      this.deps.onAlarm?.(alarm);
    } catch (err) {
      this.deps.log.warn({ err: { message: (err as Error).message } }, 'recording alarm handler failed');
    }
  }
}
