/**
 * Legal holds and disposal of recordings: placing and clearing a hold (on the manifest and
 * in the store), and deleting or moving to the archive tier what retention allows. The
 * decision is retention.ts's; the store refuses on its own as well (Object Lock, the fs
 * adapter's checks), so a wrong decision here still deletes nothing early.
 */
import type { RecordingArchive } from './archive.js';
import { RecordingError } from './errors.js';
import type { LegalHold, Manifest } from './manifest.js';
import type { RecordingStorage } from './ports/recording-storage.js';
import { mayDelete, sweepStep, type SweepStep } from './retention.js';

export interface HoldRequest {
  reason: string;
  by: string;
  /** ISO 8601; null: until cleared. */
  until: string | null;
}

export class RecordingDisposal {
  constructor(
    private readonly archive: RecordingArchive,
    private readonly storage: RecordingStorage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  placeHold(recordingId: string, request: HoldRequest): Promise<Manifest> {
    return this.archive.update(recordingId, async (manifest) => {
      if (manifest.disposition?.action === 'deleted') throw new RecordingError('disposed', `recording ${recordingId} was deleted at ${manifest.disposition.at}`);
      const hold: LegalHold = { reason: request.reason, by: request.by, placedAt: this.now().toISOString(), until: request.until };
      await this.storage.setLegalHold(manifest.key, true);
      return { ...manifest, legalHold: hold };
    });
  }

  clearHold(recordingId: string): Promise<Manifest> {
    return this.archive.update(recordingId, async (manifest) => {
      if (!manifest.legalHold) return null;
      if (manifest.disposition?.action !== 'deleted') await this.storage.setLegalHold(manifest.key, false);
      return { ...manifest, legalHold: null };
    });
  }

  /** Deletes by hand: refused before retain-until and under a hold, with the reason. */
  delete(recordingId: string, by: string): Promise<Manifest> {
    return this.archive.update(recordingId, async (manifest) => {
      const now = this.now();
      const decision = mayDelete(manifest, now, this.archive.retentionYears);
      if (!decision.may) throw new RecordingError(decision.why === 'legal-hold' ? 'legalHold' : decision.why === 'disposed' ? 'disposed' : 'retained', decision.message);
      return this.carryOut(manifest, { do: 'delete', clearsLapsedHold: decision.clearsLapsedHold }, now, by);
    });
  }

  /** The sweeper's step for one recording: what it did, decided again under the lock on the current manifest. */
  async sweep(recordingId: string, action: 'delete' | 'archive-tier'): Promise<SweepStep> {
    let step: SweepStep = { do: 'keep', why: 'retained' };
    await this.archive.update(recordingId, async (manifest) => {
      const now = this.now();
      step = sweepStep(manifest, now, this.archive.retentionYears, action);
      if (step.do === 'keep') return null;
      return this.carryOut(manifest, step, now, 'retention-sweeper');
    });
    return step;
  }

  private async carryOut(manifest: Manifest, step: Exclude<SweepStep, { do: 'keep' }>, now: Date, by: string): Promise<Manifest> {
    // A hold that lapsed by its own end date is lifted in the store first, or the store refuses.
    if (step.clearsLapsedHold) await this.storage.setLegalHold(manifest.key, false);
    if (step.do === 'delete') await this.storage.delete(manifest.key, now);
    else await this.storage.toArchiveTier(manifest.key);
    return {
      ...manifest,
      legalHold: step.clearsLapsedHold ? null : manifest.legalHold,
      disposition: { action: step.do === 'delete' ? 'deleted' : 'archive-tier', at: now.toISOString(), by },
    };
  }
}
