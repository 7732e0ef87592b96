/**
 * A call taken over after a restart whose menu had already handed it on: the action of a
 * queue or emergency node ran (stage `action` of the stored position). The menu does not
 * start again — the caller may be waiting with a place in the queue, talking to an agent
 * or to an emergency centre — so the features that took the call are asked to carry on
 * (the queue port's and the emergency port's `resume`). When neither holds a trace of the
 * call, the runner enters the node again: the hand-off runs once more, never the greeting.
 */
import type { CallContext, FlowResult } from '../calls/index.js';
import type { ActionDeps } from './actions/action.js';
import type { IvrConfig } from './config-schema.js';
import { EMERGENCY_KEY_NODE } from './engine/menu-engine.js';
import { MenuPositionSchema, type MenuPosition } from './engine/menu-position.js';
import { AFTER_FAILED_EMERGENCY_PRIORITY, type QueueRequest } from './ports/handoff.js';

export interface HandOffAt {
  position: MenuPosition;
  kind: 'queue' | 'emergency';
  request: Omit<QueueRequest, 'emergency'>;
  /** An emergency node's route (the emergency key's is the IVR's `emergency.route`). */
  route?: string;
}

/** Whether the hand-off was the emergency key's (pressed anywhere in the menu or the queue). */
export const isEmergencyKey = (at: HandOffAt): boolean => at.position.node === EMERGENCY_KEY_NODE;

/** The hand-off the stored position was at, if its action had run; else undefined. */
export function handOffAt(stored: unknown, ivr: IvrConfig, queueSkills: Record<string, string>, queueNote: { queue: string; priority: number } | undefined): HandOffAt | undefined {
  const parsed = MenuPositionSchema.safeParse(stored);
  if (!parsed.success || parsed.data.stage !== 'action') return undefined;
  // The emergency key's transfer runs as a node of its own, in no config.
  const node = parsed.data.node === EMERGENCY_KEY_NODE ? ({ kind: 'emergency' } as const) : ivr.nodes[parsed.data.node];
  if (node?.kind === 'queue') {
    const skill = node.skill ?? queueSkills[node.queue] ?? node.queue;
    return { position: parsed.data, kind: 'queue', request: { queue: node.queue, skill, priority: node.priority, line: '', reason: 'menu' } };
  }
  if (node?.kind === 'emergency') {
    // Queued only when no centre answered: the queue is the one the record names.
    const queue = queueNote?.queue ?? '';
    const route = 'route' in node && typeof node.route === 'string' ? node.route : undefined;
    return { position: parsed.data, kind: 'emergency', ...(route && { route }), request: { queue, skill: queueSkills[queue] ?? queue, priority: queueNote?.priority ?? AFTER_FAILED_EMERGENCY_PRIORITY, line: '', reason: 'menu' } };
  }
  return undefined;
}

/**
 * Asks the queue, then the emergency linkage, to carry the call on; undefined when neither
 * holds it. The linkage is asked also when the queue could not be read (Redis slow or away,
 * as under the load of a restart taking hundreds of calls over at once): it depends on
 * Asterisk alone, and a caller put through to a centre must stay with it, not be dialled
 * through again.
 */
export async function resumeHandOff(call: CallContext, at: HandOffAt, deps: ActionDeps): Promise<FlowResult | undefined> {
  const { ports } = deps;
  const request: QueueRequest = {
    ...at.request,
    line: call.line,
    emergency: { key: deps.emergency.key, transfer: () => ports.emergency.transfer(call, { route: deps.emergency.route }) },
  };
  let failure: unknown;
  try {
    const queued = await ports.queue.resume?.(call, request);
    if (queued) return queued;
  } catch (err) {
    failure = err;
    call.log.warn({ err, node: at.position.node }, 'the queue could not tell where the call was; the emergency linkage is asked');
  }
  if (call.signal.aborted) return { then: 'caller-gone' };
  try {
    const kept = await ports.emergency.resume?.(call, { route: at.route ?? deps.emergency.route });
    if (kept || failure === undefined) return kept;
  } catch (err) {
    failure ??= err;
  }
  call.log.error({ err: failure, node: at.position.node }, 'the hand-off could not be resumed; the node runs again');
  return call.signal.aborted ? { then: 'caller-gone' } : undefined;
}
