/** Consumer groups: created when missing, and created again when Redis lost them. */
import type { Redis } from 'ioredis';

/** The longest XREADGROUP block of the bridge's readers: their connections' command timeout must outlast it. */
export const LONGEST_BLOCK_MS = 1000;

export async function ensureGroup(redis: Redis, stream: string, group: string): Promise<void> {
  try {
    // From 0, not $: anything stored before the group existed must still be delivered.
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
  } catch (err) {
    if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
  }
}

/** The group (or its stream) is gone: Redis restarted empty, or someone deleted the key. */
export function isNoGroup(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOGROUP');
}
