/**
 * Transfer to another number: a merged or partner hotline (e.g. 96345), dialled out over
 * the trunk with the caller's own number kept.
 */
import { z } from 'zod';
import { DialNumber, PromptId } from '../ids.js';
import type { IvrAction } from './action.js';
import { handoffFailed } from './handoff-failed.js';

export const TransferNodeSchema = z.object({
  kind: z.literal('transfer'),
  number: DialNumber,
  /** For the record and the logs: which hotline this is. */
  label: z.string().optional(),
  prompts: z.array(PromptId).default([]),
});
export type TransferNode = z.infer<typeof TransferNodeSchema>;

export const transferAction: IvrAction<TransferNode> = {
  kind: 'transfer',
  outcomes: [],
  references: (node) => ({ prompts: node.prompts }),
  intent: (node) => `transfer:${node.number}`,
  async run(call, node, _run, deps) {
    const outcome = `transfer:${node.number}`;
    try {
      const request = node.label === undefined ? { number: node.number } : { number: node.number, label: node.label };
      return { end: await deps.ports.numberTransfer.transfer(call, request), outcome };
    } catch (err) {
      call.log.error({ err, target: node.number }, 'transfer to another number failed');
      return handoffFailed(call, deps.prompts.fault, `${outcome}:failed`);
    }
  },
};
