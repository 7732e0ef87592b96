/**
 * Hands finished recordings to the archive and only then lets Asterisk's copy go.
 *
 *   finished ──ingest──► archived ──call.recorded out──► Asterisk's copy deleted ──► Redis entry removed
 *
 * Each step that fails is tried again after a backoff, from where it stopped, for as long as
 * the service runs; the Redis entry (written before the first step) lets a restarted service
 * go on. Asterisk's copy is deleted only after `ingest` resolved, so the file always exists
 * somewhere. The event keeps one id across retries and restarts: the ticket bridge stores it
 * once.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AriPort } from '../../ari/index.js';
import { isGone } from '../../ari/index.js';
import type { DomainEventBus, DomainEventOf } from '../../calls/index.js';
import { sleep } from '../../shared/sleep.js';
import type { FinishedRecording, RecordingSink, StoredRecordingRef } from '../recording-sink.js';
import type { CaptureConfig } from './config-schema.js';
import { handoverDelayMs, nextHandoverStep, type PendingRecording } from './decisions.js';
import type { OpenRecording } from './file-source.js';
import type { CaptureMetrics } from './metrics.js';
import type { PendingStore } from './pending-store.js';

export interface HandoverDeps {
  ari: AriPort;
  sink: RecordingSink;
  store: PendingStore;
  open: OpenRecording;
  bus: DomainEventBus;
  config: CaptureConfig;
  metrics: CaptureMetrics;
  log: Logger;
  /** Told once the archive confirmed: the call record takes the reference while the call lives. */
  archived(p: PendingRecording, ref: StoredRecordingRef): void;
}

export class Handover {
  private readonly running = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly deps: HandoverDeps) {}

  get pendingCount(): number {
    return this.running.size;
  }

  /** Starts handing `p` over unless it already is; resolves when done (or the service stops). */
  run(p: PendingRecording): Promise<void> {
    const existing = this.running.get(p.callId);
    if (existing) return existing;
    const work = this.loop(p).finally(() => {
      this.running.delete(p.callId);
      this.deps.metrics.setPending(this.running.size);
    });
    this.running.set(p.callId, work);
    this.deps.metrics.setPending(this.running.size);
    return work;
  }

  stop(): void {
    this.abort.abort();
  }

  private async loop(start: PendingRecording): Promise<void> {
    const { log, metrics, store } = this.deps;
    let p = start;
    let published = false;
    // Kept before the first step: a restart from here on finds it.
    await store.save(p).catch((err: unknown) => log.warn({ err, callId: p.callId }, 'could not keep the finished recording in Redis; handing it over from memory'));
    for (let attempt = 1; !this.abort.signal.aborted; attempt++) {
      try {
        if (nextHandoverStep(p) === 'ingest') {
          const ref = await this.deps.sink.ingest(this.finished(p));
          p = { ...p, stage: 'archived', ref, eventId: p.eventId ?? randomUUID() };
          metrics.count('archived');
          this.deps.archived(p, ref);
          await store.save(p).catch((err: unknown) => log.warn({ err, callId: p.callId }, 'could not note the archived recording in Redis'));
        }
        if (!published) {
          this.publish(p);
          published = true;
        }
        await this.deps.ari.deleteStoredRecording(p.asteriskName).catch((err: unknown) => {
          // Gone already: an earlier attempt deleted it and then could not clear Redis.
          if (!isGone(err)) throw err;
        });
        metrics.count('asterisk-copy-deleted');
        await store.remove(p.callId);
        log.info({ callId: p.callId, recording: p.asteriskName, recordingId: p.ref?.recordingId, attempts: attempt }, 'call recording archived; Asterisk\'s copy deleted');
        return;
      } catch (err) {
        metrics.count('handover-failed');
        const delayMs = handoverDelayMs(attempt, this.deps.config.handoverRetry);
        // The first failure, then one line in ten: an archive outage must not flood the log.
        if (attempt === 1 || attempt % 10 === 0) log.warn({ err, callId: p.callId, stage: p.stage, attempt, retryInMs: delayMs }, 'call recording hand-over failed; Asterisk keeps its copy, trying again');
        await sleep(delayMs, this.abort.signal);
      }
    }
  }

  private finished(p: PendingRecording): FinishedRecording {
    return {
      callId: p.callId,
      asteriskName: p.asteriskName,
      callerNumber: p.callerNumber,
      dialled: p.dialled,
      line: p.line,
      startedAt: p.startedAt,
      endedAt: p.endedAt ?? new Date().toISOString(),
      format: p.format,
      pauses: p.pauses,
      open: () => this.deps.open(p.asteriskName, p.format),
    };
  }

  /** call.recorded, numbered 0: the call may be over, the ticket bridge numbers it (SEQUENCE_DESCRIPTION). */
  private publish(p: PendingRecording): void {
    const ref = p.ref;
    if (!ref) return;
    const event: DomainEventOf<'call.recorded'> = {
      id: p.eventId ?? randomUUID(),
      callId: p.callId,
      sequence: 0,
      at: new Date().toISOString(),
      type: 'call.recorded',
      data: {
        recordingName: p.asteriskName,
        recordingId: ref.recordingId,
        durationSeconds: ref.durationSeconds,
        sha256: ref.sha256,
        sm3: ref.sm3,
        sizeBytes: ref.sizeBytes,
        retainUntil: ref.retainUntil,
      },
    };
    this.deps.bus.deliver(event);
  }
}
