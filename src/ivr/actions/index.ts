/**
 * The actions a menu node can run, by kind. A new action is a new file and one line here.
 */
import type { IvrAction } from './action.js';
import { callbackRequestAction, CallbackRequestNodeSchema } from './callback-request.js';
import { emergencyAction, EmergencyNodeSchema } from './emergency.js';
import { hangupAction, HangupNodeSchema } from './hangup.js';
import { queueAction, QueueNodeSchema } from './queue.js';
import { ticketStatusAction, TicketStatusNodeSchema } from './ticket-status.js';
import { transferAction, TransferNodeSchema } from './transfer.js';

export const ActionNodeSchemas = [
  QueueNodeSchema,
  EmergencyNodeSchema,
  TicketStatusNodeSchema,
  CallbackRequestNodeSchema,
  TransferNodeSchema,
  HangupNodeSchema,
] as const;

// The registry is typed loosely on purpose: the runner looks an action up by the node's kind,
// and each action's own `run` is typed by its schema.
export const ACTIONS: Record<string, IvrAction<never>> = {
  queue: queueAction as IvrAction<never>,
  emergency: emergencyAction as IvrAction<never>,
  'ticket-status': ticketStatusAction as IvrAction<never>,
  'callback-request': callbackRequestAction as IvrAction<never>,
  transfer: transferAction as IvrAction<never>,
  hangup: hangupAction as IvrAction<never>,
};

export type { ActionDeps, ActionResult, ActionRun, IvrAction } from './action.js';
