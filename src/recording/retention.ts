/**
 * Retention decisions, as plain functions of a manifest and the time: may this recording
 * be deleted now, and what does the sweeper do with it. Nothing goes before retain-until
 * (at least 3 years after the call, Shangrao art. 13(9)); a legal hold keeps a recording
 * past it until the hold is cleared or its own end date passes.
 */
import type { LegalHold, Manifest } from './manifest.js';
import { retainUntilOf } from './manifest.js';

export type DeleteDecision =
  | { may: true; clearsLapsedHold: boolean }
  | { may: false; why: 'retained' | 'legal-hold' | 'disposed'; message: string };

export type SweepStep =
  | { do: 'keep'; why: 'retained' | 'legal-hold' | 'disposed' }
  | { do: 'delete' | 'archive-tier'; clearsLapsedHold: boolean };

/** A hold counts while it has no end or its end is still ahead. */
export function holdActive(hold: LegalHold | null, now: Date): boolean {
  return hold !== null && (hold.until === null || now.getTime() < Date.parse(hold.until));
}

/**
 * The later of the manifest's retain-until and the call's end plus today's configured
 * years: a retention raised in the config keeps older recordings longer, a lowered one
 * never shortens what was promised when they were stored.
 */
export function effectiveRetainUntil(manifest: Pick<Manifest, 'retainUntil' | 'endedAt'>, retentionYears: number): Date {
  const stored = Date.parse(manifest.retainUntil);
  const configured = retainUntilOf(new Date(manifest.endedAt), retentionYears).getTime();
  return new Date(Math.max(stored, configured));
}

export function mayDelete(manifest: Manifest, now: Date, retentionYears: number): DeleteDecision {
  // One moved to the archive tier may still be deleted (by hand); one deleted is gone.
  if (manifest.disposition?.action === 'deleted') return { may: false, why: 'disposed', message: `recording ${manifest.recordingId} was deleted at ${manifest.disposition.at}` };
  const until = effectiveRetainUntil(manifest, retentionYears);
  if (now.getTime() < until.getTime()) {
    return { may: false, why: 'retained', message: `recording ${manifest.recordingId} is retained until ${until.toISOString()} (call recordings are kept at least 3 years)` };
  }
  if (holdActive(manifest.legalHold, now)) {
    const hold = manifest.legalHold!;
    return { may: false, why: 'legal-hold', message: `recording ${manifest.recordingId} is under a legal hold placed by ${hold.by} (${hold.until ? `until ${hold.until}` : 'until cleared'})` };
  }
  return { may: true, clearsLapsedHold: manifest.legalHold !== null };
}

/** What the sweeper does with one recording, given the configured action for expired ones. */
export function sweepStep(manifest: Manifest, now: Date, retentionYears: number, action: 'delete' | 'archive-tier'): SweepStep {
  if (manifest.disposition) return { do: 'keep', why: 'disposed' };
  const decision = mayDelete(manifest, now, retentionYears);
  if (!decision.may) return { do: 'keep', why: decision.why };
  return { do: action, clearsLapsedHold: decision.clearsLapsedHold };
}
