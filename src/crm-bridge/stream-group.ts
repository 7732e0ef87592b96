/** Creates a stream's consumer group (and the stream) unless it exists. */
import type { Redis } from 'ioredis';

export async function ensureGroup(redis: Redis, stream: string, group: string): Promise<void> {
  try {
    // From 0, not $: anything stored before the group existed must still be delivered.
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
  } catch (err) {
    if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
  }
}
