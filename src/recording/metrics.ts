/**
 * The archive's metrics: recordings and bytes stored, ingests that failed (the capture keeps
 * its copy and retries), what the sweeper did, the integrity audit's checks and mismatches,
 * and refused accesses.
 */
import { Counter, type Registry } from 'prom-client';

export interface RecordingMetrics {
  stored(bytes: number): void;
  ingestFailed(stage: 'fetch' | 'store' | 'manifest'): void;
  swept(outcome: 'deleted' | 'archived' | 'held' | 'failed'): void;
  audited(result: 'ok' | 'mismatch' | 'missing' | 'failed'): void;
  access(action: string, result: 'allowed' | 'refused' | 'not-found'): void;
  unregister(): void;
}

const NAMES = [
  'hotline_recordings_stored_total',
  'hotline_recording_bytes_stored_total',
  'hotline_recording_ingest_failures_total',
  'hotline_recording_sweeps_total',
  'hotline_recording_audits_total',
  'hotline_recording_accesses_total',
] as const;

export function createRecordingMetrics(registry: Registry): RecordingMetrics {
  const stored = new Counter({ name: NAMES[0], help: 'Call recordings stored by the archive (audio and manifest written)', registers: [registry] });
  const bytes = new Counter({ name: NAMES[1], help: 'Bytes of call recordings stored', registers: [registry] });
  const failures = new Counter({ name: NAMES[2], help: 'Ingests that failed, by stage (fetch: reading from the capture; store: the audio; manifest)', labelNames: ['stage'] as const, registers: [registry] });
  const sweeps = new Counter({ name: NAMES[3], help: 'Expired recordings the sweeper handled: deleted, archived (moved to the archive tier), held (kept by a legal hold), failed', labelNames: ['outcome'] as const, registers: [registry] });
  const audits = new Counter({ name: NAMES[4], help: 'Recordings re-hashed by the integrity audit: ok, mismatch (bytes changed: alarm), missing (audio gone), failed (could not read)', labelNames: ['result'] as const, registers: [registry] });
  const accesses = new Counter({ name: NAMES[5], help: 'Accesses to recordings by action and result (allowed, refused, not-found), each also in the hash-chained access log', labelNames: ['action', 'result'] as const, registers: [registry] });
  return {
    stored(n) {
      stored.inc();
      bytes.inc(n);
    },
    ingestFailed: (stage) => failures.inc({ stage }),
    swept: (outcome) => sweeps.inc({ outcome }),
    audited: (result) => audits.inc({ result }),
    access: (action, result) => accesses.inc({ action, result }),
    unregister() {
      for (const name of NAMES) registry.removeSingleMetric(name);
    },
  };
}
