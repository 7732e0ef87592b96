/**
 * An outbox stream entry as the deliverer and the dead-letter list read it. Entries are
 * written only by the bridge's own scripts, but they are still parsed, not trusted: a
 * malformed entry is reported instead of crashing a lane.
 */
import { z } from 'zod';

export interface OutboxEntry {
  /** The stream entry id (not the event id). */
  id: string;
  eventId: string;
  callId: string;
  type: string;
  sequence: number;
  /** The message JSON without its sequence number. */
  message: string;
}

const Fields = z.object({
  e: z.string().min(1),
  c: z.string().min(1),
  t: z.string().min(1),
  s: z.coerce.number().int().min(1),
  m: z.string().min(2),
});

/** ioredis gives stream entries as [id, [field, value, field, value, …]] (fields null when deleted). */
export type RawStreamEntry = [string, string[] | null];

export function fieldMap(fields: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i]!] = fields[i + 1]!;
  return map;
}

export function parseOutboxEntry([id, fields]: RawStreamEntry): OutboxEntry | null {
  if (!fields) return null;
  const parsed = Fields.safeParse(fieldMap(fields));
  if (!parsed.success) return null;
  const { e, c, t, s, m } = parsed.data;
  return { id, eventId: e, callId: c, type: t, sequence: s, message: m };
}

/** XREADGROUP's answer for one stream: [[key, entries]] or null when nothing came. */
export function entriesOf(reply: unknown): RawStreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const first = reply[0] as [string, RawStreamEntry[]] | undefined;
  return first?.[1] ?? [];
}
