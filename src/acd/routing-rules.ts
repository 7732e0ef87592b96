/**
 * A queue's routing rules as the pick script reads them: the queue's own minimum (from the
 * first moment) and its widening steps, each with the milliseconds of wait after which it
 * counts. Pure: computed once per queue from the config.
 */
import type { QueueConfig } from './config-schema.js';

export interface RoutingRule {
  /** Milliseconds the call has waited before this rule admits agents. */
  after: number;
  /** The skill admitted; null: the call's own skill. */
  skill: string | null;
  minLevel: number;
}

export function routingRules(queue: QueueConfig): RoutingRule[] {
  return [
    { after: 0, skill: null, minLevel: queue.minLevel },
    ...queue.widening.map((step) => ({ after: step.afterSeconds * 1000, skill: step.skill ?? null, minLevel: step.minLevel })),
  ];
}

/**
 * The waiting set's score: higher priority first, then the earlier enqueue. Exact in a
 * double: priorities 0–10 times 1e13 plus epoch milliseconds (< 1e13 until 2286).
 */
export function waitingOrder(priority: number, enqueuedAt: number): number {
  return (10 - priority) * 1e13 + enqueuedAt;
}
