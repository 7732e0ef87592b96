/**
 * Events stored in Redis that no deliverer has read yet, kept in memory by the writer that
 * stored them. Redis without persistence can restart empty; what was only in its streams
 * would then be gone. A read event lives on in the deliverer's memory (its call lane) until
 * it is sent; an unread one lives on here, and the writer stores it again, in order, before
 * anything newer. An event leaves when every sink it went to has read it:
 *   - by event id, when this process's own deliverer reads it;
 *   - by stream position, when a background sample finds the sink's consumer group past it
 *     (another instance holds the sink's lease). Positions are compared only within one
 *     life of Redis: after a loss every kept event is stored again with new positions.
 * Bounded by the writer: the oldest are let go first when memory is short (they are still
 * in Redis; only their protection against a Redis that forgets is lost).
 */
import type { DomainEvent } from '../calls/index.js';
import type { OutboundEvent } from './message-schema.js';
import { streamIdAtMost } from './stream-ids.js';

interface Kept {
  event: DomainEvent | OutboundEvent;
  /** sink → the entry id in its stream, for the sinks that have not read it yet. */
  unread: Map<string, string>;
}

/** Reads noted before their event was kept: a few seconds' worth at the highest rates. */
const MAX_EARLY_READS = 10_000;

export class UnreadEvents {
  /** By event id, oldest first (a Map keeps insertion order). */
  private readonly kept = new Map<string, Kept>();
  /**
   * Event id → sinks whose deliverer read it before the writer kept it. The deliverer reads
   * on a connection of its own, so a blocked read can hand it an entry before the writer's
   * own connection has the reply of the append: kept after that read, the event would stay
   * "unread" until a sample saw the group past it, and a Redis lost meanwhile would have it
   * stored and sent again. Oldest first, bounded (an append whose reply never came is never kept).
   */
  private readonly earlyReads = new Map<string, Set<string>>();

  get size(): number {
    return this.kept.size;
  }

  add(event: DomainEvent | OutboundEvent, entryIds: Map<string, string>): void {
    const readAlready = this.earlyReads.get(event.id);
    if (readAlready) {
      this.earlyReads.delete(event.id);
      for (const sink of readAlready) entryIds.delete(sink);
    }
    if (entryIds.size === 0) return;
    this.kept.delete(event.id);
    this.kept.set(event.id, { event, unread: entryIds });
  }

  /** This process's deliverer read the event from the sink's stream. */
  read(sink: string, eventId: string): void {
    const kept = this.kept.get(eventId);
    if (!kept) return this.noteEarlyRead(sink, eventId);
    kept.unread.delete(sink);
    if (kept.unread.size === 0) this.kept.delete(eventId);
  }

  /** The sink's consumer group has read everything up to `lastReadId`. */
  readUpTo(sink: string, lastReadId: string): void {
    for (const [eventId, kept] of this.kept) {
      const id = kept.unread.get(sink);
      if (id === undefined || !streamIdAtMost(id, lastReadId)) continue;
      kept.unread.delete(sink);
      if (kept.unread.size === 0) this.kept.delete(eventId);
    }
  }

  /** Lets the oldest go; false when there was none. */
  dropOldest(): boolean {
    const oldest = this.kept.keys().next();
    if (oldest.done) return false;
    this.kept.delete(oldest.value);
    return true;
  }

  /** Every kept event, oldest first, and forgets them (the writer stores them again). */
  takeAll(): Array<DomainEvent | OutboundEvent> {
    const events = [...this.kept.values()].map((k) => k.event);
    this.kept.clear();
    return events;
  }

  private noteEarlyRead(sink: string, eventId: string): void {
    const sinks = this.earlyReads.get(eventId);
    if (sinks) return void sinks.add(sink);
    this.earlyReads.set(eventId, new Set([sink]));
    if (this.earlyReads.size > MAX_EARLY_READS) this.earlyReads.delete(this.earlyReads.keys().next().value!);
  }
}
