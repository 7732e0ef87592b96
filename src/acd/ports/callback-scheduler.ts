/**
 * Where the ACD hands callers who will be called back: a missed call (hung up while
 * queued) and a caller who chose virtual hold. The callback feature decides when and
 * whether (once per number per day, calling hours); the ACD only asks.
 */
import type { MissedCall, VirtualHoldRequest } from '../callbacks/callback-store.js';

export type { MissedCall, VirtualHoldRequest };

export interface CallbackScheduler {
  scheduleMissed(call: MissedCall, now: number): Promise<unknown>;
  scheduleVirtualHold(request: VirtualHoldRequest, now: number): Promise<unknown>;
  /** The citizen got through on their own: a callback still waiting for their number is not needed. */
  cancel?(number: string, now: number): Promise<unknown>;
}
