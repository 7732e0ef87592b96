/**
 * Queue the caller for an agent with a skill and a priority. Priority callers get the
 * priority of their list instead of the node's.
 */
import { z } from 'zod';
import { PromptId, QueueName } from '../ids.js';
import type { IvrAction } from './action.js';
import { handoffFailed } from './handoff-failed.js';

export const QueueNodeSchema = z.object({
  kind: z.literal('queue'),
  queue: QueueName,
  /** Defaults to the queue's skill in `acd.queues`. */
  skill: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'skills are kebab-case').optional(),
  /** 0 (lowest) … 10 (highest). */
  priority: z.number().int().min(0).max(10).default(5),
  prompts: z.array(PromptId).default([]),
});
export type QueueNode = z.infer<typeof QueueNodeSchema>;

export const queueAction: IvrAction<QueueNode> = {
  kind: 'queue',
  outcomes: [],
  references: (node) => ({ prompts: node.prompts, queues: [node.queue] }),
  intent: (node) => `queue:${node.queue}`,
  async run(call, node, run, deps) {
    const request = {
      queue: node.queue,
      skill: node.skill ?? deps.queueSkills[node.queue] ?? node.queue,
      priority: run.priority ?? node.priority,
      line: call.line,
      reason: run.reason === 'emergency-key' ? ('menu' as const) : run.reason,
      emergency: { key: deps.emergency.key, transfer: () => deps.ports.emergency.transfer(call, { route: deps.emergency.route }) },
    };
    const outcome = `queue:${node.queue}`;
    try {
      return { end: await deps.ports.queue.enqueue(call, request), outcome };
    } catch (err) {
      call.log.error({ err, queue: node.queue }, 'could not queue the call');
      return handoffFailed(call, deps.prompts.fault, `${outcome}:failed`);
    }
  },
};
