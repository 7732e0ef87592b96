/**
 * A recording's id and storage key, both derived from the call: the same call always maps
 * to the same object (ingest is idempotent without asking Redis), and the key is found
 * from the id alone. Keys are partitioned by the call's start date (UTC): YYYY/MM/DD/<id>.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const RecordingIdSchema = z.string().regex(/^\d{8}-[0-9a-f]{24}$/, 'a recording id such as 20261202-0123456789abcdef01234567');

export function recordingIdOf(callId: string, startedAt: string): string {
  const day = new Date(startedAt).toISOString().slice(0, 10).replaceAll('-', '');
  return `${day}-${createHash('sha256').update(callId).digest('hex').slice(0, 24)}`;
}

export function storageKeyOf(recordingId: string): string {
  return `${recordingId.slice(0, 4)}/${recordingId.slice(4, 6)}/${recordingId.slice(6, 8)}/${recordingId}`;
}
