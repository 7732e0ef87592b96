/**
 * A recording's manifest: what the archive knows of it, stored beside the audio and the
 * source of truth (the Redis index is rebuilt from manifests). It never holds the caller's
 * whole number: a masked one for people, a keyed digest for "list by number".
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { maskNumber } from '../log/mask.js';

export const MANIFEST_SCHEMA_V1 = 'hotline.recording-manifest/v1';

const IsoDateTime = z.iso.datetime({ offset: true });

export const LegalHoldSchema = z.object({
  reason: z.string().min(1).max(500),
  by: z.string().min(1),
  placedAt: IsoDateTime,
  /** Null: until cleared by hand. */
  until: IsoDateTime.nullable(),
});
export type LegalHold = z.infer<typeof LegalHoldSchema>;

export const ManifestSchema = z.object({
  schema: z.literal(MANIFEST_SCHEMA_V1),
  recordingId: z.string(),
  /** The storage key of the audio (the manifest is at `<key>.manifest.json`). */
  key: z.string(),
  callId: z.string(),
  callerMasked: z.string().nullable(),
  /** HMAC-SHA256 of the caller's digits under the archive's number key; null for an unknown caller. */
  callerDigest: z.string().nullable(),
  dialled: z.string(),
  line: z.string(),
  startedAt: IsoDateTime,
  endedAt: IsoDateTime,
  durationSeconds: z.number().nonnegative(),
  format: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sm3: z.string().regex(/^[0-9a-f]{64}$/),
  pauses: z.array(z.object({ pausedAt: z.string(), resumedAt: z.string().nullable(), by: z.string(), reason: z.string().nullable() })),
  storedAt: IsoDateTime,
  retainUntil: IsoDateTime,
  tickets: z.array(z.string()),
  legalHold: LegalHoldSchema.nullable(),
  /** Set once the sweeper (or an admin) disposed of the audio; the manifest stays as the record of it. */
  disposition: z.object({ action: z.enum(['deleted', 'archive-tier']), at: IsoDateTime, by: z.string() }).nullable(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export function parseManifest(json: string): Manifest {
  return ManifestSchema.parse(JSON.parse(json));
}

/** The lookup digest of a number: only its digits count, so +86 138… and 138… differ (as numbers dialled do). */
export function numberDigest(numberKey: string, number: string): string {
  return createHmac('sha256', numberKey).update(number.replace(/\D/g, '')).digest('hex');
}

export function maskedCaller(number: string | null): string | null {
  return number === null ? null : String(maskNumber(number));
}

/** The retain-until of a call ended at `endedAt`: `years` later, to the millisecond (29 February → 28 February or 1 March as Date does). */
export function retainUntilOf(endedAt: Date, years: number): Date {
  const until = new Date(endedAt.getTime());
  until.setUTCFullYear(until.getUTCFullYear() + years);
  return until;
}

const CONTENT_TYPES: Record<string, string> = { wav: 'audio/wav', wav16: 'audio/wav', gsm: 'audio/x-gsm', ulaw: 'audio/basic', alaw: 'audio/x-alaw-basic' };

export function contentTypeOf(format: string): string {
  return CONTENT_TYPES[format] ?? 'application/octet-stream';
}

/** Asterisk's format name → the file's extension. */
export function extensionOf(format: string): string {
  return format === 'wav16' ? 'wav16' : format;
}
