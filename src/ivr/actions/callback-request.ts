/**
 * Leave a request to be called back (e.g. outside opening hours): handed to the callback
 * feature through its port.
 */
import { z } from 'zod';
import { PromptId } from '../ids.js';
import type { IvrAction } from './action.js';
import { handoffFailed } from './handoff-failed.js';

export const CallbackRequestNodeSchema = z.object({
  kind: z.literal('callback-request'),
  /** Why the caller asks for a callback: kept with the request. */
  reason: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).default('callback'),
  prompts: z.array(PromptId).default([]),
});
export type CallbackRequestNode = z.infer<typeof CallbackRequestNodeSchema>;

export const callbackRequestAction: IvrAction<CallbackRequestNode> = {
  kind: 'callback-request',
  outcomes: [],
  references: (node) => ({ prompts: node.prompts }),
  intent: (node) => `callback-request:${node.reason}`,
  async run(call, node, _run, deps) {
    const outcome = `callback-request:${node.reason}`;
    try {
      return { end: await deps.ports.callbackRequest.request(call, { reason: node.reason, line: call.line }), outcome };
    } catch (err) {
      call.log.error({ err }, 'could not take the callback request');
      return handoffFailed(call, deps.prompts.fault, `${outcome}:failed`);
    }
  },
};
