/**
 * Where the IVR hands a call on: the features that own what happens next. Each is a port
 * the wiring provides, so the menu never pretends a feature exists: until the ACD, the
 * emergency linkage and the callback feature land, `dialplan-handoff.ts` gives the channel
 * back to the Asterisk dialplan (app_queue / Dial fallbacks there).
 *
 * Each method returns the flow's result (usually `handed-off`) and rejects when it could not
 * take the call; the IVR then tells the caller and never leaves a silent line.
 */
import type { CallContext, FlowResult } from '../../calls/index.js';

export type QueueReason = 'menu' | 'direct-to-human' | 'priority-caller';

/** Top priority: a caller no emergency centre could take goes before everyone. */
export const AFTER_FAILED_EMERGENCY_PRIORITY = 10;

export interface QueueRequest {
  queue: string;
  skill: string;
  /** 0 (lowest) … 10 (highest). */
  priority: number;
  line: string;
  reason: QueueReason;
  /** The emergency key stays live while the caller waits for an agent: pressing it runs `transfer`. */
  emergency?: { key: string; transfer(): Promise<FlowResult> };
}

export interface QueuePort {
  enqueue(call: CallContext, request: QueueRequest): Promise<FlowResult>;
  /**
   * A call taken over after a restart whose menu had handed it to the queue: carries on
   * where the earlier process left it (waiting with its place, ringing an agent, talking
   * in its bridge) and resolves when that is over; undefined when the queue holds no trace
   * of the call (its queue, skill and priority are those stored then, not the request's).
   */
  resume?(call: CallContext, request: QueueRequest): Promise<FlowResult | undefined>;
}

export interface EmergencyPort {
  /** Transfers to an emergency route (110/119/120/122 linkage), the caller's number kept. */
  transfer(call: CallContext, request: { route: string }): Promise<FlowResult>;
  /**
   * A call taken over after a restart while put through to a centre: keeps the caller's
   * bridge with the centre and finishes the call when either side leaves; a leg of the
   * route still ringing is heard on, not dialled again; undefined when no centre is on the
   * line nor ringing any more.
   */
  resume?(call: CallContext, request?: { route: string }): Promise<FlowResult | undefined>;
}

export interface CallbackRequestPort {
  /** Takes a request to be called back (e.g. out of hours). */
  request(call: CallContext, request: { reason: string; line: string }): Promise<FlowResult>;
}

export interface NumberTransferPort {
  /** Transfers to another hotline's number (a merged or partner line), the caller's number kept. */
  transfer(call: CallContext, request: { number: string; label?: string }): Promise<FlowResult>;
}

export interface IvrPorts {
  queue: QueuePort;
  emergency: EmergencyPort;
  callbackRequest: CallbackRequestPort;
  numberTransfer: NumberTransferPort;
}
