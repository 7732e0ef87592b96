/**
 * The emergency linkage as the ACD uses it for an agent's transfer: dial a route's targets
 * in turn for the call until one answers (the receipt is the linkage's to publish); the ACD
 * then brings the answered leg into the call's own bridge.
 */
import type { CallContext, EmergencyReceipt } from '../../calls/index.js';

export interface DialledCentre {
  answered: { channelId: string; leg: { ended: Promise<unknown> }; release(): void } | null;
  attempts: Array<{ target: string; outcome: string; cause: number | null }>;
  receipt: EmergencyReceipt;
}

export interface EmergencyDialer {
  hasRoute(route: string): boolean;
  dial(call: CallContext, route: string, entry: 'agent' | 'consultation'): Promise<DialledCentre>;
  /**
   * Among a call's bridge members after a restart, the answered leg an agent's transfer
   * (`centre`) or consultation brought in, heard again from now on; undefined when none.
   */
  adoptLeg?(callId: string, members: readonly string[]): { answered: NonNullable<DialledCentre['answered']>; centre: boolean } | undefined;
}
