/**
 * Hang up after the node's prompts (the engine plays them first, emergency key live).
 */
import { z } from 'zod';
import { PromptId } from '../ids.js';
import type { IvrAction } from './action.js';

export const HangupNodeSchema = z.object({
  kind: z.literal('hangup'),
  /** What the caller hears last; a menu never hangs up without a word. */
  prompts: z.array(PromptId).min(1, 'say something before hanging up'),
});
export type HangupNode = z.infer<typeof HangupNodeSchema>;

export const hangupAction: IvrAction<HangupNode> = {
  kind: 'hangup',
  outcomes: [],
  references: (node) => ({ prompts: node.prompts }),
  intent: () => 'hangup',
  async run() {
    return { end: { then: 'hangup', outcome: 'completed' }, outcome: 'hangup' };
  },
};
