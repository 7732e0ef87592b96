/**
 * Emergency transfer (110/119/120/122 linkage) along a named route. The caller is never
 * dropped: a failed transfer is tried once more, then the caller is told to dial the
 * emergency number directly.
 */
import { z } from 'zod';
import { PromptId, RouteName } from '../ids.js';
import type { IvrAction } from './action.js';
import { handoffFailed } from './handoff-failed.js';

export const EmergencyNodeSchema = z.object({
  kind: z.literal('emergency'),
  route: RouteName,
  prompts: z.array(PromptId).default([]),
});
export type EmergencyNode = z.infer<typeof EmergencyNodeSchema>;

export const emergencyAction: IvrAction<EmergencyNode> = {
  kind: 'emergency',
  outcomes: [],
  references: (node) => ({ prompts: node.prompts, routes: [node.route] }),
  intent: (node) => `emergency:${node.route}`,
  async run(call, node, _run, deps) {
    const outcome = `emergency:${node.route}`;
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      try {
        return { end: await deps.ports.emergency.transfer(call, { route: node.route }), outcome };
      } catch (err) {
        call.log.error({ err, route: node.route, attempt }, 'emergency transfer failed');
        if (call.signal.aborted) return { end: { then: 'caller-gone' }, outcome };
      }
    }
    return handoffFailed(call, deps.prompts.emergencyFailed, `${outcome}:failed`);
  },
};
