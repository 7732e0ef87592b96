/**
 * Where a caller is in the menu, as the call record keeps it for a restarted service: the
 * node, the caller's class and route, the values `collect` nodes took, and the visits.
 * Read back from Redis, so parsed (zod) before the engine trusts it.
 *
 * What resumes where (`resumable`): a caller at a node whose prompts play or who is asked
 * for a key (stage `node`, action nodes too: their action has not run yet) hears that
 * node's prompt again, with what they entered at earlier nodes; digits of a number being
 * typed are dropped, since the prompt asks for the whole number again. Once an action ran
 * (stage `action`) only the self-contained ones resume (a ticket look-up runs again, a
 * goodbye is said again); a hand-off (queue, emergency, transfer, callback) may have
 * happened and is not repeated from here.
 */
import { z } from 'zod';
import type { IvrConfig } from '../config-schema.js';

const ROUTES = ['menu', 'direct-to-human', 'priority-caller', 'emergency-key'] as const;

export const MenuPositionSchema = z.object({
  node: z.string().min(1),
  stage: z.enum(['node', 'action']),
  caller: z.enum(['normal', 'priority', 'restricted']),
  route: z.enum(ROUTES),
  vars: z.record(z.string(), z.string()),
  visits: z.record(z.string(), z.number().int().min(0)),
});
export type MenuPosition = z.infer<typeof MenuPositionSchema>;

/** Actions that may run again after a restart: they hand nothing on. */
const REPEATABLE_ACTIONS = new Set(['ticket-status', 'hangup']);

/** The stored position if the menu can go on from it, else undefined (the call starts over). */
export function resumable(stored: unknown, ivr: IvrConfig): MenuPosition | undefined {
  const parsed = MenuPositionSchema.safeParse(stored);
  if (!parsed.success) return undefined;
  const node = ivr.nodes[parsed.data.node];
  if (!node) return undefined;
  if (parsed.data.stage === 'action' && !REPEATABLE_ACTIONS.has(node.kind)) return undefined;
  return parsed.data;
}
