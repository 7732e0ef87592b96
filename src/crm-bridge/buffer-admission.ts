/**
 * What the outbox takes while Redis is away long enough for its memory to fill. Accepted
 * events are never dropped; what gives way is what has not been accepted yet:
 *
 *   below maxBufferedEvents   everything is accepted
 *   at maxBufferedEvents      an overflow episode begins (one log line): refused are
 *                             - new calls: a `call.started`, and every later event of a call
 *                               whose start was refused (its chain would have no beginning);
 *                             - progress details of any call: call.ivr-choice, call.queued,
 *                               call.offered;
 *                             the other events of calls already accepted still are, so those
 *                             calls keep their end, transfers, emergencies and recordings —
 *   at maxBufferedEvents + 10%  everything is refused.
 *   back down to half         the episode ends with one line counting what was refused.
 *
 * A call that straddles the end of an episode may reach the sinks without its refused
 * events; its sequence numbers show the gap.
 */
import type { Logger } from 'pino';
import type { CrmBridgeMetrics } from './metrics.js';

export type RefusalReason = 'new-call' | 'non-essential' | 'buffer-full';

const NON_ESSENTIAL = new Set(['call.ivr-choice', 'call.queued', 'call.offered']);

export class BufferAdmission {
  private overflowing = false;
  private readonly refusedCalls = new Set<string>();
  private refused: Record<RefusalReason, number> = { 'new-call': 0, 'non-essential': 0, 'buffer-full': 0 };
  private readonly hardLimit: number;

  constructor(
    private readonly max: number,
    private readonly metrics: Pick<CrmBridgeMetrics, 'eventsRefused'>,
    private readonly log: Logger,
  ) {
    this.hardLimit = max + Math.ceil(max / 10);
  }

  /** Null to accept the event, or why it is refused; `buffered` is what waits for Redis now. */
  admit(event: { type: string; callId: string }, buffered: number): RefusalReason | null {
    if (!this.overflowing) {
      if (buffered < this.max) return null;
      this.begin(buffered);
    }
    const reason = this.refusal(event, buffered);
    if (!reason) return null;
    this.refused[reason]++;
    this.metrics.eventsRefused.inc({ reason });
    if (reason === 'new-call' && this.refusedCalls.size < this.max) this.refusedCalls.add(event.callId);
    return reason;
  }

  /** Told how much still waits after every store: the episode ends once that is down to half. */
  stored(buffered: number): void {
    if (!this.overflowing || buffered > this.max / 2) return;
    const total = this.refused['new-call'] + this.refused['non-essential'] + this.refused['buffer-full'];
    this.log.warn(
      { refused: this.refused, refusedTotal: total, callsRefused: this.refusedCalls.size, buffered },
      'ticket outbox overflow over: the refused events were never stored and will not reach the ticket backends',
    );
    this.overflowing = false;
    this.refusedCalls.clear();
    this.refused = { 'new-call': 0, 'non-essential': 0, 'buffer-full': 0 };
  }

  get inOverflow(): boolean {
    return this.overflowing;
  }

  private begin(buffered: number): void {
    this.overflowing = true;
    this.log.error(
      { buffered, maxBufferedEvents: this.max },
      'TICKET OUTBOX FULL: Redis has not taken the buffered events; until it does, new calls and progress details (ivr-choice, queued, offered) are refused and lost, and above 10% more everything is; events already accepted are kept',
    );
  }

  private refusal(event: { type: string; callId: string }, buffered: number): RefusalReason | null {
    if (buffered >= this.hardLimit) return 'buffer-full';
    if (event.type === 'call.started' || this.refusedCalls.has(event.callId)) return 'new-call';
    if (NON_ESSENTIAL.has(event.type)) return 'non-essential';
    return null;
  }
}
