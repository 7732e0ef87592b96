/**
 * What a call session offers the flow that runs the call (the welcome flow today, the IVR
 * menu later), and what a flow answers. A flow is written against this interface only:
 * it never sees the session, the registry or other calls.
 */
import type { Logger } from 'pino';
import type { AriEvent } from '../../ari/index.js';
import type { AriPort } from '../../ari/index.js';
import type { CallPathStep, CallQueueNote, EmergencyReceipt } from '../call-record.js';
import type { CallOutcome, DomainEventPayloads, DomainEventType } from '../domain-events.js';

export type PlayEnd =
  | { reason: 'finished' }
  /** A digit stopped the prompt (barge-in); the digit is the caller's first input. */
  | { reason: 'interrupted'; digit: string }
  | { reason: 'hangup' }
  /** Asterisk could not play it (missing file …) or the request failed. */
  | { reason: 'failed'; detail: string }
  /** No PlaybackFinished within the configured limit: the playback was stopped. */
  | { reason: 'timeout' };

export interface PlayOptions {
  /** Stop the prompt on the first digit and report it. Default true. */
  bargeIn?: boolean;
}

/**
 * What a flow learns of a call it takes over from an earlier process (a restart, a crash):
 * the position it kept with `keepPosition`, read back from the stored call record.
 */
export interface AdoptedCall {
  /** The stored call record was found (Redis answered): phases, path and position go on. */
  readonly recordFound: boolean;
  /** The flow's last kept position, as stored: untrusted, the flow parses it. Undefined when none was kept or found. */
  readonly position: unknown;
  /**
   * The record's ACD part as stored (queue, offers, the agent's answer): the ACD finds the
   * rest (waiting entry, talk record) in Redis under the call id. Undefined when none.
   */
  readonly queue?: CallQueueNote | undefined;
}

export interface CallContext {
  readonly callId: string;
  readonly channelId: string;
  readonly caller: { number: string; name: string };
  readonly dialled: string;
  readonly line: string;
  readonly language: string;
  /** False for a call that began here; where the call was, for one taken over after a restart. */
  readonly adopted: false | AdoptedCall;
  /** Has `callId` on every line. */
  readonly log: Logger;
  /**
   * Aborted when the call ends (caller hangup, Asterisk lost the channel, shutdown); its
   * reason a ChannelLostError when the channel was found gone after a reconnect (isChannelLost).
   */
  readonly signal: AbortSignal;
  /** For what the session does not wrap (bridges, originate …). */
  readonly ari: AriPort;

  /** Resolves a prompt id of the hotline config to media URIs in the call's language. */
  promptMedia(promptId: string): string[];
  /** Plays media to the caller and resolves when it ends, however it ends. Never rejects. */
  play(media: string[], options?: PlayOptions): Promise<PlayEnd>;
  /** Every digit the caller presses from now on, until unsubscribed or the call ends. */
  onDtmf(listener: (digit: string) => void): () => void;
  /** Every ARI event of this call's channel (and its playbacks). */
  onEvent(listener: (event: AriEvent) => void): () => void;
  /** A timer that is cleared when the call ends: flows never leak timers. */
  setTimer(ms: number, fn: () => void): () => void;

  /** Adds a step to the call record's path and publishes `call.ivr-choice`. */
  recordStep(step: Omit<CallPathStep, 'at'>, next?: string | null): void;
  /** Merges what the ACD knows of the call's queue time into the record (kept with the record). */
  noteQueue(note: Partial<CallQueueNote> & Pick<CallQueueNote, 'queue'>): void;
  /** Keeps an emergency receipt on the record; one with the same `startedAt` is updated (an agent who stayed). */
  noteEmergency(receipt: EmergencyReceipt): void;
  /**
   * The call's outcome from now on, whoever hangs up first: a caller put through to an
   * emergency centre and hanging up there has been transferred, not abandoned the call.
   */
  settleOutcome(outcome: CallOutcome): void;
  /**
   * Keeps where the flow is (JSON data: the menu node, what the caller entered) with the
   * call record, so a restarted service resumes the call there (`adopted.position`). Stored
   * with the record, best effort: never waited on.
   */
  keepPosition(position: unknown): void;
  /** Publishes a domain event about this call. */
  publish<T extends DomainEventType>(type: T, data: DomainEventPayloads[T]): void;
}

export type FlowResult =
  /** The flow is done with the call: the session hangs it up. */
  | { then: 'hangup'; outcome: CallOutcome }
  /** The flow handed the channel on (into a bridge, a queue, the dialplan): the session only waits for its end. */
  | { then: 'handed-off'; outcome: CallOutcome }
  /** The caller hung up while the flow ran. */
  | { then: 'caller-gone' };

export interface CallFlow {
  run(call: CallContext): Promise<FlowResult>;
}

/** Picks the flow for a call (by line, adoption …). */
export type CallFlowFactory = (call: Pick<CallContext, 'line' | 'dialled' | 'caller' | 'adopted'>) => CallFlow;
