/**
 * Calls that ended while no service watched them: the service was down (a crash, a
 * restart) and the caller hung up, or Asterisk lost the channel. A restarted service finds
 * their live records in Redis with no channel behind them. Each ends as `dropped`, with what
 * the record knows (phases, path, queue), its record finished and one `call.ended` published.
 *
 * Exactly once: the event's id is fixed per call (`ended-<callId>`) and its sequence follows
 * the record's last, so a second finisher (a reconcile repeated after a crash between the
 * publish and the save) publishes the same event, which the ticket bridge's outbox and the
 * receivers keep once by id; so does a second reconcile of the same process that reads the
 * record before the first one's save has landed.
 */
import type { Logger } from 'pino';
import type { CallRecord } from './call-record.js';
import type { DomainEventOf } from './domain-events.js';
import type { DomainEventBus } from './event-bus.js';
import type { LiveCallStore } from './live-call-store.js';

export interface UnseenEndsDeps {
  store: LiveCallStore;
  bus: DomainEventBus;
  log: Logger;
  /** The instance's Stasis app: only its calls are its to finish. */
  app: string;
}

/** The id of the `call.ended` of a call found gone after a restart: the same whoever finishes it. */
export function unseenEndEventId(callId: string): string {
  return `ended-${callId}`;
}

export class UnseenEnds {
  constructor(private readonly deps: UnseenEndsDeps) {}

  /** Finishes the app's stored calls whose channels are gone; returns how many. */
  async finish(isLive: (channelId: string) => boolean): Promise<number> {
    const gone = await this.deps.store.goneUnseen(this.deps.app, isLive);
    let finished = 0;
    // Asked again after the read: a call adopted or ended meanwhile is not one of them.
    for (const { record, lastSeenAt } of gone) {
      if (isLive(record.channelId)) continue;
      this.end(record, lastSeenAt);
      finished += 1;
    }
    return finished;
  }

  private end(stored: CallRecord, lastSeenAt: string): void {
    const foundGoneAt = new Date().toISOString();
    const sequence = (stored.lastEventSequence ?? 0) + 1;
    const record: CallRecord = {
      ...stored,
      phases: { ...stored.phases, ended: foundGoneAt },
      outcome: 'dropped',
      endedBy: 'asterisk',
      hangupCause: null,
      hangupCauseText: null,
      lastEventSequence: sequence,
      endUnseen: { lastSeenAt, foundGoneAt },
    };
    const event: DomainEventOf<'call.ended'> = {
      id: unseenEndEventId(record.callId),
      callId: record.callId,
      sequence,
      at: foundGoneAt,
      type: 'call.ended',
      data: {
        channelId: record.channelId,
        outcome: 'dropped',
        endedBy: 'asterisk',
        hangupCause: null,
        hangupCauseText: null,
        // Its end was not seen: from entering to when its channel was found gone, an upper bound.
        durationMs: Math.max(0, Date.parse(foundGoneAt) - Date.parse(record.phases.entered)),
      },
    };
    // Published before the record is finished: a crash in between repeats the same event, never loses it.
    this.deps.bus.deliver(event);
    this.deps.store.save(record);
    this.deps.log.info({ callId: record.callId, channelId: record.channelId, lastSeenAt }, 'call ended while the service was away: dropped');
  }
}
