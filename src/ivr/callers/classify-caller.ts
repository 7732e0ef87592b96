/**
 * Who is calling, as far as the menu cares: a restricted caller, a priority caller, or
 * anyone else. Each look-up has a short timeout and fails open (logged): Redis being slow
 * or down must never keep a caller from the menu, nor from the emergency key.
 *
 * A supervisor's flag applies to everyone; the automatic call-count rule does not count
 * priority callers (a registered elderly caller may well call often).
 */
import type { Logger } from 'pino';
import { withTimeout } from '../../shared/with-timeout.js';
import type { CallerClass } from '../engine/commands.js';
import type { CallerRestrictionStore, Restriction } from './caller-restrictions.js';
import type { PriorityCallerStore } from './priority-callers.js';

export interface Classification {
  caller: CallerClass;
  restriction?: Restriction;
  /** Look-ups that timed out or failed (the caller was let through). */
  degraded: string[];
}

export interface ClassifyDeps {
  priority: PriorityCallerStore;
  restrictions: CallerRestrictionStore;
  priorityTimeoutMs: number;
  restrictionTimeoutMs: number;
  log: Logger;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; why: string };

async function within<T>(ms: number, work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await withTimeout(work(), ms, 'look-up') };
  } catch (err) {
    return { ok: false, why: (err as Error).message };
  }
}

export async function classifyCaller(number: string, callId: string, deps: ClassifyDeps): Promise<Classification> {
  const degraded: string[] = [];
  const priority = await within(deps.priorityTimeoutMs, () => deps.priority.isPriority(number));
  if (!priority.ok) {
    degraded.push('priority');
    deps.log.warn({ why: priority.why }, 'priority-caller look-up failed; treating as an ordinary caller');
  }
  const isPriority = priority.ok && priority.value;
  const restriction = await within(deps.restrictionTimeoutMs, () =>
    isPriority ? deps.restrictions.get(number) : deps.restrictions.checkCall(number, callId),
  );
  if (!restriction.ok) {
    degraded.push('restriction');
    deps.log.warn({ why: restriction.why }, 'restriction look-up failed; letting the caller through');
  } else if (restriction.value) {
    return { caller: 'restricted', restriction: restriction.value, degraded };
  }
  return { caller: isPriority ? 'priority' : 'normal', degraded };
}
