/**
 * The recording archive: takes finished recordings from the capture (RecordingSink),
 * stores the audio then its manifest, keeps the Redis index, and changes manifests later
 * (tickets linked, legal holds, disposal). Idempotent by call id: the recording's id and
 * key come from the call, and a stored manifest is the answer to a second ingest.
 */
import { unlink } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { FinishedRecording, RecordingSink, StoredRecordingRef } from './recording-sink.js';
import { Digester, digestStream, type Digests } from './digests.js';
import { isRecordingError, RecordingError } from './errors.js';
import type { RecordingIndex } from './index-store.js';
import { KeyedLock } from './keyed-lock.js';
import { contentTypeOf, maskedCaller, MANIFEST_SCHEMA_V1, numberDigest, parseManifest, retainUntilOf, type Manifest } from './manifest.js';
import type { RecordingMetrics } from './metrics.js';
import type { RecordingStorage } from './ports/recording-storage.js';
import { recordingIdOf, storageKeyOf } from './recording-ids.js';
import { readWavHeader, wavDurationSeconds } from './wav-duration.js';
import { writeStaged } from './storage/fs-files.js';

export interface RecordingArchiveDeps {
  storage: RecordingStorage;
  index: RecordingIndex;
  retentionYears: number;
  /** The HMAC key of callers' number digests (at least 32 characters, the same on every instance). */
  numberKey: string;
  /** Where a recording is staged while it is digested (for fs storage: its own staging dir, so publishing is a link). */
  stagingDir: string;
  metrics: RecordingMetrics;
  log: Logger;
  /** Where instances take turns changing a manifest; absent: within this process only (one instance, tests). */
  manifestLock?: { redis: Redis; keyOf: (recordingId: string) => string };
  now?: () => Date;
}

export class RecordingArchive implements RecordingSink {
  private readonly inFlight = new Map<string, Promise<StoredRecordingRef>>();
  private readonly locks: KeyedLock;
  private readonly now: () => Date;

  constructor(private readonly deps: RecordingArchiveDeps) {
    this.now = deps.now ?? (() => new Date());
    this.locks = new KeyedLock(deps.manifestLock);
  }

  get retentionYears(): number {
    return this.deps.retentionYears;
  }

  ingest(recording: FinishedRecording): Promise<StoredRecordingRef> {
    // Two ingests of one call at once (a retry racing the first) share the one write.
    const running = this.inFlight.get(recording.callId);
    if (running) return running;
    const work = this.ingestOnce(recording).finally(() => this.inFlight.delete(recording.callId));
    this.inFlight.set(recording.callId, work);
    return work;
  }

  /** The manifest of a recording, or null; `recording:no-such-recording` for an id that names nothing. */
  async manifest(recordingId: string): Promise<Manifest | null> {
    const json = await this.deps.storage.getManifest(storageKeyOf(recordingId));
    return json === null ? null : parseManifest(json);
  }

  async requireManifest(recordingId: string): Promise<Manifest> {
    const manifest = await this.manifest(recordingId);
    if (!manifest) throw new RecordingError('noSuchRecording', `no recording ${recordingId}`);
    return manifest;
  }

  /** The lookup digest of a number, as manifests and the index hold it. */
  numberDigest(number: string): string {
    return numberDigest(this.deps.numberKey, number);
  }

  /**
   * Links a ticket to a call's recording (ticket.created carries the call id). A ticket is
   * usually created while the call is still on, before its recording exists: it then waits
   * in Redis and the ingest applies it.
   */
  async linkTicket(callId: string, ticketNumber: string): Promise<'linked' | 'pending'> {
    await this.deps.index.addPendingTicket(callId, ticketNumber);
    const recordingId = await this.deps.index.byCall(callId);
    if (!recordingId || !(await this.manifest(recordingId))) return 'pending';
    await this.applyTickets(recordingId, callId, [ticketNumber]);
    return 'linked';
  }

  /** Changes a manifest under the per-recording lock, writes it back and indexes it. */
  async update(recordingId: string, change: (manifest: Manifest) => Manifest | null | Promise<Manifest | null>): Promise<Manifest> {
    return this.locks.run(recordingId, async () => {
      const manifest = await this.requireManifest(recordingId);
      const changed = await change(manifest);
      if (!changed) return manifest;
      await this.deps.storage.putManifest(changed.key, JSON.stringify(changed, null, 2));
      await this.deps.index.record(changed);
      return changed;
    });
  }

  private async ingestOnce(recording: FinishedRecording): Promise<StoredRecordingRef> {
    const recordingId = recordingIdOf(recording.callId, recording.startedAt);
    const key = storageKeyOf(recordingId);
    const log = this.deps.log.child({ callId: recording.callId, recordingId });
    const stored = await this.manifest(recordingId);
    if (stored) {
      await this.indexBestEffort(stored, log);
      return refOf(stored);
    }
    // Audio without a manifest: an earlier ingest stopped between the two. Digest what is stored.
    const head = await this.deps.storage.head(key);
    const digests = head ? await this.digestStored(key, recording.format) : await this.storeAudio(recording, key, log);
    const manifest = this.manifestOf(recording, recordingId, key, digests, head?.retainUntil);
    try {
      await this.deps.storage.putManifest(key, JSON.stringify(manifest, null, 2));
    } catch (err) {
      this.deps.metrics.ingestFailed('manifest');
      throw err;
    }
    this.deps.metrics.stored(manifest.sizeBytes);
    log.info({ caller: manifest.callerMasked, sizeBytes: manifest.sizeBytes, durationSeconds: manifest.durationSeconds, retainUntil: manifest.retainUntil }, 'recording stored');
    await this.indexBestEffort(manifest, log);
    const linked = await this.applyPendingTickets(recordingId, recording.callId, log);
    return refOf(linked ?? manifest);
  }

  /** Streams the recording once through the digests into a staged file, then into the store. */
  private async storeAudio(recording: FinishedRecording, key: string, log: Logger): Promise<Digests & { durationSeconds: number | null }> {
    const digester = new Digester();
    let staged: string;
    try {
      staged = await writeStaged(this.deps.stagingDir, await recording.open(), (chunk) => digester.update(chunk));
    } catch (err) {
      this.deps.metrics.ingestFailed('fetch');
      throw err;
    }
    const digests = digester.result();
    try {
      const durationSeconds = recording.format.startsWith('wav') ? wavDurationSeconds(readWavHeader(digester.head()), digests.sizeBytes) : null;
      const retainUntil = retainUntilOf(new Date(recording.endedAt), this.deps.retentionYears);
      await this.deps.storage.put(key, { path: staged, sizeBytes: digests.sizeBytes }, {
        retainUntil,
        sha256: digests.sha256,
        contentType: contentTypeOf(recording.format),
        metadata: { 'call-id': recording.callId, sm3: digests.sm3 },
      });
      // Linked into place (fs) or uploaded (S3): the staged name is not needed any more.
      await unlink(staged).catch(() => undefined);
      return { ...digests, durationSeconds };
    } catch (err) {
      await unlink(staged).catch(() => undefined);
      // Another instance stored the same call meanwhile: its bytes are the call's recording.
      if (isRecordingError(err, 'exists')) return this.digestStored(key, recording.format);
      this.deps.metrics.ingestFailed('store');
      log.warn({ err: { message: (err as Error).message } }, 'recording not stored; the capture keeps its copy');
      throw err;
    }
  }

  private async digestStored(key: string, format: string): Promise<Digests & { durationSeconds: number | null }> {
    const digester = await digestStream(await this.deps.storage.get(key));
    const digests = digester.result();
    const durationSeconds = format.startsWith('wav') ? wavDurationSeconds(readWavHeader(digester.head()), digests.sizeBytes) : null;
    return { ...digests, durationSeconds };
  }

  private manifestOf(recording: FinishedRecording, recordingId: string, key: string, digests: Digests & { durationSeconds: number | null }, storedRetainUntil?: Date): Manifest {
    const endedAt = new Date(recording.endedAt);
    const retainUntil = storedRetainUntil ?? retainUntilOf(endedAt, this.deps.retentionYears);
    const fromTimes = Math.max(0, (endedAt.getTime() - Date.parse(recording.startedAt)) / 1000);
    return {
      schema: MANIFEST_SCHEMA_V1,
      recordingId,
      key,
      callId: recording.callId,
      callerMasked: maskedCaller(recording.callerNumber),
      callerDigest: recording.callerNumber ? this.numberDigest(recording.callerNumber) : null,
      dialled: recording.dialled,
      line: recording.line,
      startedAt: new Date(recording.startedAt).toISOString(),
      endedAt: endedAt.toISOString(),
      durationSeconds: digests.durationSeconds ?? fromTimes,
      format: recording.format,
      contentType: contentTypeOf(recording.format),
      sizeBytes: digests.sizeBytes,
      sha256: digests.sha256,
      sm3: digests.sm3,
      pauses: recording.pauses,
      storedAt: this.now().toISOString(),
      retainUntil: retainUntil.toISOString(),
      tickets: [],
      legalHold: null,
      disposition: null,
    };
  }

  /** Tickets linked before the recording existed; Redis away: they wait for the next ingest or linkTicket. */
  private async applyPendingTickets(recordingId: string, callId: string, log: Logger): Promise<Manifest | null> {
    try {
      const pending = await this.deps.index.pendingTickets(callId);
      if (pending.length === 0) return null;
      return await this.applyTickets(recordingId, callId, pending);
    } catch (err) {
      log.warn({ err: { message: (err as Error).message } }, 'tickets waiting for this recording not linked yet');
      return null;
    }
  }

  private async applyTickets(recordingId: string, callId: string, tickets: string[]): Promise<Manifest> {
    const manifest = await this.update(recordingId, (m) => {
      const added = tickets.filter((t) => !m.tickets.includes(t));
      return added.length ? { ...m, tickets: [...m.tickets, ...added] } : null;
    });
    await this.deps.index.clearPendingTickets(callId, tickets);
    return manifest;
  }

  /** The index is a cache of the manifests: a Redis outage must not fail a stored recording (reindex repairs it). */
  private async indexBestEffort(manifest: Manifest, log: Logger): Promise<void> {
    try {
      await this.deps.index.record(manifest);
    } catch (err) {
      log.warn({ err: { message: (err as Error).message } }, 'recording stored but not indexed; reindex repairs it');
    }
  }
}

export function refOf(manifest: Manifest): StoredRecordingRef {
  return {
    recordingId: manifest.recordingId,
    sizeBytes: manifest.sizeBytes,
    sha256: manifest.sha256,
    sm3: manifest.sm3,
    durationSeconds: manifest.durationSeconds,
    retainUntil: manifest.retainUntil,
  };
}
