/**
 * The disposition of each wrapped-up call: the agent sets it (and a short note) while the
 * wrap-up runs, as often as it likes, the last one winning; one `call.disposition` goes out
 * when the wrap-up ends — ended early (end, ready, not ready, log out) or its time up — with
 * the last disposition set, or none. Publishing when the wrap-up ends rather than at each
 * choice is what lets the agent correct a slip and still gives the ticket backend exactly
 * one event per wrap-up.
 *
 * Exactly once: the agent's compare-and-set lets one change end a wrap-up, and only the
 * instance that made it sees `wrappedUp`; the take script marks the wrap-up sent in the same
 * step as it reads the disposition, and the event's id is fixed per wrap-up (the outbox keeps
 * one event per id). An instance dying between the change and the take loses the event,
 * as it would the change's agent.state-changed.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DomainEventBus, DomainEventOf } from '../../calls/index.js';
import type { AgentStateChanged, WrappedUp } from '../agent-events.js';
import { AcdError } from '../errors.js';
import type { AcdKeys } from '../keys.js';
import { MAX_DISPOSITION_NOTE_LENGTH, type Disposition } from './config-schema.js';
import { BadDispositionError } from './errors.js';
import { dispositionKeysBeside, type DispositionKeys } from './keys.js';
import type { DispositionMetrics } from './metrics.js';
import { runDispositionScript } from './redis-scripts.js';

/** A disposition kept this long at most: longer than any wrap-up (an hour, extensions included). */
const PENDING_TTL_SECONDS = 24 * 3600;
/** The sent marker outlives a repeated take by far. */
const SENT_TTL_SECONDS = 7 * 24 * 3600;

export interface DispositionChoice {
  code: string;
  note?: string;
}

/** What the API answers a recorded disposition with. */
export interface RecordedDisposition {
  agentId: string;
  callId: string;
  queue: string;
  code: string;
  note: string | null;
  at: string;
}

export interface WrapUpDispositionsOptions {
  redis: Redis;
  keys: Pick<AcdKeys, 'agent' | 'loggedIn'>;
  dispositions: readonly Disposition[];
  bus: DomainEventBus;
  metrics: DispositionMetrics;
  log: Logger;
  now?: () => number;
}

/** The event id of a wrap-up's disposition: the same however often it is published. */
export function dispositionEventId(callId: string, agentId: string): string {
  return `disposition-${callId}-${agentId}`;
}

/** The call.disposition of a wrap-up that ended at `endedAt` (ms) with what was taken; pure. */
export function dispositionEvent(agentId: string, wrapped: WrappedUp, taken: { code: string; note: string; at: string }, endedAt: number): DomainEventOf<'call.disposition'> {
  return {
    id: dispositionEventId(wrapped.callId, agentId),
    callId: wrapped.callId,
    sequence: 0,
    at: new Date(endedAt).toISOString(),
    type: 'call.disposition',
    data: {
      agentId,
      queue: wrapped.queue,
      code: taken.code || null,
      note: taken.note || null,
      setAt: taken.at ? new Date(Number(taken.at)).toISOString() : null,
      ended: endedAt >= wrapped.until ? 'expired' : 'early',
      wrapUpMs: Math.max(0, endedAt - wrapped.since),
    },
  };
}

export class WrapUpDispositions {
  private readonly keys: DispositionKeys;
  private readonly codes: ReadonlySet<string>;
  private readonly now: () => number;

  constructor(private readonly options: WrapUpDispositionsOptions) {
    this.keys = dispositionKeysBeside(options.keys);
    this.codes = new Set(options.dispositions.map((d) => d.code));
    this.now = options.now ?? Date.now;
  }

  /** The configured codes with their words, in the config's order. */
  list(): readonly Disposition[] {
    return this.options.dispositions;
  }

  /** Throws BadDispositionError for a code not in acd.dispositions or a note too long. */
  check(choice: DispositionChoice): void {
    if (!this.codes.has(choice.code)) {
      throw new BadDispositionError('acd:unknown-disposition', `unknown disposition "${choice.code}": one of ${[...this.codes].join(', ')} (acd.dispositions)`);
    }
    if ((choice.note ?? '').length > MAX_DISPOSITION_NOTE_LENGTH) throw new BadDispositionError('acd:disposition-note-too-long', `a disposition note has at most ${MAX_DISPOSITION_NOTE_LENGTH} characters`);
  }

  /** Records the disposition of the call the agent wraps up; refused (409) when it is not in wrap-up. */
  async record(agentId: string, choice: DispositionChoice): Promise<RecordedDisposition> {
    this.check(choice);
    const at = this.now();
    const note = choice.note?.trim() ?? '';
    const reply = (await runDispositionScript(
      this.options.redis,
      'disposition-set',
      [this.options.keys.agent(agentId)],
      [this.keys.pendingPrefix(), agentId, choice.code, note, at, PENDING_TTL_SECONDS],
    )) as string[];
    if (reply[0] === 'no-agent') throw new AcdError('noSuchAgent', `no agent ${agentId}`);
    if (reply[0] === 'wrong-state') {
      if (reply[1] === 'offline') throw new AcdError('agentOffline', `agent ${agentId} is offline`);
      throw new AcdError('notInWrapUp', `agent ${agentId} is ${reply[1]}: a disposition is given during the wrap-up of a call`);
    }
    return { agentId, callId: reply[1]!, queue: reply[2]!, code: choice.code, note: note || null, at: new Date(at).toISOString() };
  }

  /** Told of every agent change: a change that ends a wrap-up sends its disposition. */
  agentChanged(event: AgentStateChanged): void {
    const wrapped = event.wrappedUp;
    if (!wrapped) return;
    this.send(event.agentId, wrapped, Date.parse(event.at)).catch((err: unknown) =>
      this.options.log.error({ err, agentId: event.agentId, callId: wrapped.callId }, 'the disposition of a wrap-up was not sent'),
    );
  }

  private async send(agentId: string, wrapped: WrappedUp, endedAt: number): Promise<void> {
    const reply = (await runDispositionScript(
      this.options.redis,
      'disposition-take',
      [this.keys.pending(wrapped.callId, agentId), this.keys.sent(wrapped.callId, agentId)],
      [SENT_TTL_SECONDS],
    )) as string[];
    if (reply[0] !== 'take') return;
    const event = dispositionEvent(agentId, wrapped, { code: reply[1] ?? '', note: reply[2] ?? '', at: reply[3] ?? '' }, endedAt);
    this.options.bus.deliver(event);
    this.options.metrics.counted(event.data.code);
  }
}
