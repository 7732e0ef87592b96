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
  })
  .strict();

export type CaptureConfig = z.infer<typeof CaptureConfigSchema>;
