/**
 * The recordings' access log: every access — who, when, which recording (or which query),
 * the reason given, the result — as one entry of a hash chain in Redis. Each entry carries
 * its number and the previous entry's hash, and its own hash covers both, so an edited
 * entry, one taken out, or the last ones cut off all fail `verify`. Redis must persist
 * (AOF, as for the rest of the centre's state): the chain is the record.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RecordingKeys } from './keys.js';
import { runRecordingScript } from './redis-scripts.js';

export const GENESIS_HASH = '0'.repeat(64);
const MAX_ATTEMPTS = 50;
const PAGE = 1000;

export type AccessResult = 'allowed' | 'refused' | 'not-found';

/** One access as the caller states it; the chain adds seq, at, prev and hash. */
export interface AccessRecord {
  actor: string;
  role: string;
  via: string;
  action: string;
  recordingId: string | null;
  /** For listings: what was searched (a number only masked). */
  query: string | null;
  reason: string;
  result: AccessResult;
  status: number;
}

const EntrySchema = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  role: z.string(),
  via: z.string(),
  action: z.string(),
  recordingId: z.string().nullable(),
  query: z.string().nullable(),
  reason: z.string(),
  result: z.enum(['allowed', 'refused', 'not-found']),
  status: z.number().int(),
  prev: z.string(),
  hash: z.string(),
});
export type AccessLogEntry = z.infer<typeof EntrySchema>;

export interface ChainVerdict {
  ok: boolean;
  entries: number;
  /** The position (1-based) of the first entry that does not hold, when not ok. */
  brokenAt?: number;
  why?: string;
}

/** The hash of an entry: over every field but the hash, in one fixed order. */
export function entryHash(entry: Omit<AccessLogEntry, 'hash'>): string {
  const fields = [entry.seq, entry.at, entry.actor, entry.role, entry.via, entry.action, entry.recordingId, entry.query, entry.reason, entry.result, entry.status, entry.prev];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export class AccessLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RecordingKeys,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async append(record: AccessRecord): Promise<AccessLogEntry> {
    let head = (await this.redis.get(this.keys.accessLogHead())) ?? '';
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [count, prev] = head ? [Number(head.split(' ')[0]), head.split(' ')[1]!] : [0, GENESIS_HASH];
      const body = { seq: count + 1, at: this.now().toISOString(), ...record, prev };
      const entry: AccessLogEntry = { ...body, hash: entryHash(body) };
      const current = await runRecordingScript(this.redis, 'access-log-append', [this.keys.accessLog(), this.keys.accessLogHead()], [head, JSON.stringify(entry), `${entry.seq} ${entry.hash}`]);
      if (current === null) return entry;
      head = String(current);
    }
    throw new Error(`the access log stayed contended for ${MAX_ATTEMPTS} attempts`);
  }

  /** Walks the whole chain: numbers in order, each entry's hash, each link to the one before, and the head. */
  async verify(): Promise<ChainVerdict> {
    let prev = GENESIS_HASH;
    let seq = 0;
    for (let start = 0; ; start += PAGE) {
      const page = await this.redis.lrange(this.keys.accessLog(), start, start + PAGE - 1);
      for (const raw of page) {
        const position = seq + 1;
        const parsed = EntrySchema.safeParse(safeJson(raw));
        if (!parsed.success) return { ok: false, entries: seq, brokenAt: position, why: 'an entry that is not a log entry' };
        const entry = parsed.data;
        const { hash, ...body } = entry;
        if (entry.seq !== position) return { ok: false, entries: seq, brokenAt: position, why: `entry ${position} carries number ${entry.seq}: entries are missing or moved` };
        if (entry.prev !== prev) return { ok: false, entries: seq, brokenAt: position, why: `entry ${position} does not follow the entry before it` };
        if (entryHash(body) !== hash) return { ok: false, entries: seq, brokenAt: position, why: `entry ${position} was changed after it was written` };
        prev = hash;
        seq = position;
      }
      if (page.length < PAGE) break;
    }
    const head = (await this.redis.get(this.keys.accessLogHead())) ?? '';
    const expected = seq === 0 ? '' : `${seq} ${prev}`;
    if (head !== expected) return { ok: false, entries: seq, brokenAt: seq + 1, why: `the log ends at entry ${seq}, but its head names ${head.split(' ')[0] || 'none'}: entries were cut off the end` };
    return { ok: true, entries: seq };
  }

  /** The last entries, newest last (for an auditor reading the log). */
  async tail(count: number): Promise<AccessLogEntry[]> {
    const raw = await this.redis.lrange(this.keys.accessLog(), -count, -1);
    return raw.map((r) => EntrySchema.parse(JSON.parse(r)));
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}
