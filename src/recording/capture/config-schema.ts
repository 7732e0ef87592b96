/**
 * `recording.capture`: how calls are recorded on Asterisk and how the finished file is
 * fetched (over ARI's stored recordings, or from a spool directory Asterisk shares).
 */
import { z } from 'zod';

export const CaptureConfigSchema = z
  .object({
    /** Every call is recorded (Yibin art. 12); off only for a lab without recording. */
    enabled: z.boolean().default(true),
    format: z.enum(['wav', 'wav16']).default('wav'),
    /** `ari`: GET /recordings/stored/{name}/file; `spool`: read `<spoolDir>/<name>.<format>` directly. */
    fetch: z.discriminatedUnion('from', [
      z.object({ from: z.literal('ari') }),
      z.object({ from: z.literal('spool'), spoolDir: z.string().min(1) }),
    ]).default({ from: 'ari' }),
    /** How long to wait for Asterisk's RecordingFinished after the call ended before fetching the file anyway. */
    finishWaitSeconds: z.number().int().min(1).max(300).default(10),
    /** How long to wait for the snoop channel's StasisStart before the start counts as failed (and is tried once more). */
    startWaitSeconds: z.number().int().min(1).max(60).default(5),
    /** Backoff of the hand-over to the archive (fetch, ingest, delete): doubling from firstMs, capped at maxMs; never gives up. */
    handoverRetry: z
      .object({ firstMs: z.number().int().min(10).max(60_000).default(1000), maxMs: z.number().int().min(100).max(3_600_000).default(300_000) })
      .strict()
      .prefault({}),
  })
  .strict();

export type CaptureConfig = z.infer<typeof CaptureConfigSchema>;
