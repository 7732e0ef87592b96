/**
 * The recordings not yet handed over, kept in one Redis hash (call id → JSON) so that a
 * restarted service finishes what a stopped one began: the file is still on Asterisk. What
 * comes back is parsed with zod; a damaged entry is logged and left for an operator, never
 * deleted (it names a file that may be the only copy).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { PendingRecording } from './decisions.js';
import type { CaptureKeys } from './keys.js';

const PauseSchema = z.object({ pausedAt: z.string(), resumedAt: z.string().nullable(), by: z.string(), reason: z.string().nullable() });
const RefSchema = z.object({
  recordingId: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  sm3: z.string(),
  durationSeconds: z.number(),
  retainUntil: z.string(),
});

const PendingSchema = z.object({
  callId: z.string().min(1),
  channelId: z.string(),
  asteriskName: z.string().min(1),
  snoopId: z.string(),
  callerNumber: z.string().nullable(),
  dialled: z.string(),
  line: z.string(),
  format: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  pauses: z.array(PauseSchema),
  stage: z.enum(['recording', 'finished', 'archived']),
  ref: RefSchema.optional(),
  eventId: z.string().optional(),
}) satisfies z.ZodType<PendingRecording>;

export class PendingStore {
  constructor(private readonly redis: Redis, private readonly keys: CaptureKeys, private readonly log: Logger) {}

  async save(p: PendingRecording): Promise<void> {
    await this.redis.hset(this.keys.pending(), p.callId, JSON.stringify(p));
  }

  async remove(callId: string): Promise<void> {
    await this.redis.hdel(this.keys.pending(), callId);
  }

  async all(): Promise<PendingRecording[]> {
    const raw = await this.redis.hgetall(this.keys.pending());
    const out: PendingRecording[] = [];
    for (const [callId, json] of Object.entries(raw)) {
      let parsed: ReturnType<typeof PendingSchema.safeParse>;
      try {
        parsed = PendingSchema.safeParse(JSON.parse(json));
      } catch {
        parsed = PendingSchema.safeParse(undefined);
      }
      if (parsed.success) out.push(parsed.data);
      else this.log.error({ callId, issues: parsed.error?.issues.length }, 'a pending recording entry in Redis is damaged; left for an operator');
    }
    return out;
  }
}
