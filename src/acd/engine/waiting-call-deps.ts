/** What the ACD is asked to do with a waiting caller, what it needs for that, and how the wait can end. */
import type { CallContext, FlowResult } from '../../calls/index.js';
import type { QueueConfig } from '../config-schema.js';
import type { AcdStatsRecorder } from '../ports/stats-recorder.js';
import type { CallbackScheduler } from '../ports/callback-scheduler.js';
import type { EngineParts, TalkRecords } from './engine-parts.js';
import type { HoldTimes } from './hold-time.js';
import type { HandOn } from './agent-transfer.js';
import type { DialledCentre } from '../ports/emergency-dialer.js';
import type { UnstoredChanges } from './unstored-changes.js';

/** What the ACD is asked to do with a caller, and how it can leave the queue. */
export interface ServeRequest {
  queue: string;
  skill: string;
  priority: number;
  /** The emergency key stays live while the caller waits; pressing it runs `transfer`. */
  emergency?: { key: string; transfer(): Promise<FlowResult> };
  /** Where the call goes when the ACD cannot keep it (Redis lost mid-wait): the dialplan's queue. */
  fallback(): Promise<FlowResult>;
}

/** How a wait ended: with a result for the session, or moved to another queue by the overflow or an agent's transfer. */
export type WaitEnd = { result: FlowResult } | { movedTo: string; transfer?: HandOn };

export interface WaitingCallDeps extends Omit<EngineParts, 'ari'> {
  /** Runs a routing pass now. */
  route(): void;
  call: CallContext;
  request: ServeRequest;
  queue: QueueConfig;
  holdTimes: HoldTimes;
  talk: TalkRecords;
  stats?: AcdStatsRecorder | undefined;
  callbacks?: CallbackScheduler | undefined;
  enqueuedAt: number;
  /** Where writes Redis does not take wait for its return. */
  unstored: UnstoredChanges;
  /** A call taken over after a restart (call-resume.ts): the offers made so far and, when talking, its agent. */
  resumed?: ResumedWait;
}

/** What a restarted instance tells the wait it takes over. */
export interface ResumedWait {
  offers: readonly string[];
  /** The offer whose leg still rings: its report is not counted again. */
  offerChannel?: string;
  talking?: { agent: { id: string; channelId: string; answeredAt: number }; agentThere: boolean };
  /** A centre or unit an agent had brought into the talk, its leg still in the bridge. */
  third?: { answered: NonNullable<DialledCentre['answered']>; centre: boolean; callerOnHold?: boolean };
}
