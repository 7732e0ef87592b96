/**
 * Start-up checks of the `acd` section as a whole: every skill a queue names is a known
 * skill, widening steps come in order and each admits someone new before the call leaves,
 * overflow targets exist and never lead back round. Each fault names the path of the field
 * at fault; the service refuses to start with any.
 */
import type { AcdConfig, QueueConfig } from './config-schema.js';
import { NO_ANSWER_REASON, UNREACHABLE_REASON } from './ids.js';

export interface AcdFault {
  path: (string | number)[];
  message: string;
}

type Path = (string | number)[];

export function checkAcdConfig(acd: AcdConfig): AcdFault[] {
  const faults: AcdFault[] = [];
  const fault = (path: Path, message: string): void => void faults.push({ path: ['acd', ...path], message });
  const skills = new Set(acd.skills);

  acd.skills.forEach((skill, i) => {
    if (acd.skills.indexOf(skill) !== i) fault(['skills', i], `"${skill}" is listed twice`);
  });
  for (const own of [NO_ANSWER_REASON, UNREACHABLE_REASON]) {
    if (acd.notReadyReasons[own]) fault(['notReadyReasons', own], `"${own}" is the ACD's own reason (set after missed calls); pick another code`);
  }

  for (const [name, queue] of Object.entries(acd.queues)) {
    const at = (...rest: Path): Path => ['queues', name, ...rest];
    if (!skills.has(queue.skill)) fault(at('skill'), `unknown skill "${queue.skill}" (not in acd.skills)`);
    wideningFaults(queue, skills, (i, field, message) => fault(at('widening', i, field), message));
    if (queue.overflow.kind === 'queue' && !acd.queues[queue.overflow.queue]) {
      fault(at('overflow', 'queue'), `unknown queue "${queue.overflow.queue}" (not in acd.queues)`);
    }
  }
  faults.push(...overflowCycleFaults(acd));
  return faults;
}

function wideningFaults(queue: QueueConfig, skills: ReadonlySet<string>, fault: (i: number, field: string, message: string) => void): void {
  // The lowest level admitted so far, per skill; a step naming no skill widens the call's own, the queue's by default.
  const lowest = new Map<string, number>([[queue.skill, queue.minLevel]]);
  queue.widening.forEach((step, i) => {
    const previous = queue.widening[i - 1];
    if (previous && step.afterSeconds <= previous.afterSeconds) {
      fault(i, 'afterSeconds', `${step.afterSeconds} s is not after the previous step's ${previous.afterSeconds} s`);
    }
    if (step.afterSeconds >= queue.longestWaitSeconds) {
      fault(i, 'afterSeconds', `${step.afterSeconds} s is never reached: calls leave by the overflow after longestWaitSeconds (${queue.longestWaitSeconds} s)`);
    }
    if (step.skill !== undefined && !skills.has(step.skill)) {
      return fault(i, 'skill', `unknown skill "${step.skill}" (not in acd.skills)`);
    }
    const skill = step.skill ?? queue.skill;
    const before = lowest.get(skill);
    if (before !== undefined && step.minLevel >= before) {
      fault(i, 'minLevel', `level ${step.minLevel} admits no agent the queue does not take already (level ${before} and above)`);
    }
    lowest.set(skill, Math.min(before ?? 10, step.minLevel));
  });
}

/** Queues whose overflow chain comes back to itself: a call would move round for ever. */
function overflowCycleFaults(acd: AcdConfig): AcdFault[] {
  const faults: AcdFault[] = [];
  const reported = new Set<string>();
  for (const start of Object.keys(acd.queues)) {
    const chain: string[] = [];
    let at: string | undefined = start;
    while (at !== undefined && !chain.includes(at)) {
      chain.push(at);
      const overflow: QueueConfig['overflow'] | undefined = acd.queues[at]?.overflow;
      at = overflow?.kind === 'queue' && acd.queues[overflow.queue] ? overflow.queue : undefined;
    }
    if (at === undefined) continue;
    const cycle = chain.slice(chain.indexOf(at));
    const key = [...cycle].sort().join(',');
    if (reported.has(key)) continue;
    reported.add(key);
    const first = [...cycle].sort()[0]!;
    const ordered = [...cycle.slice(cycle.indexOf(first)), ...cycle.slice(0, cycle.indexOf(first)), first];
    faults.push({ path: ['acd', 'queues', first, 'overflow', 'queue'], message: `an overflow loop: ${ordered.join(' → ')}` });
  }
  return faults;
}

/** Every prompt the ACD plays names a prompt of `prompts.sounds`. */
function promptFaults(acd: AcdConfig, known: (id: string) => boolean): AcdFault[] {
  const refs: Array<[Path, string | undefined]> = [
    [['announcements', 'position', 'before'], acd.announcements.position?.before],
    [['announcements', 'position', 'after'], acd.announcements.position?.after],
    [['announcements', 'estimatedWait', 'before'], acd.announcements.estimatedWait?.before],
    [['announcements', 'estimatedWait', 'after'], acd.announcements.estimatedWait?.after],
    [['virtualHold', 'offerPrompt'], acd.virtualHold?.offerPrompt],
    [['virtualHold', 'takenPrompt'], acd.virtualHold?.takenPrompt],
  ];
  return refs.filter(([, id]) => id !== undefined && !known(id)).map(([path, id]) => ({ path: ['acd', ...path], message: `unknown prompt "${id}" (not in prompts.sounds)` }));
}

/** Called from the hotline config's superRefine: nothing to check when there is no ACD. */
export function acdConfigFaults(config: { acd?: AcdConfig | undefined; prompts?: { sounds: Record<string, unknown> } }): AcdFault[] {
  if (!config.acd) return [];
  const sounds = config.prompts?.sounds;
  return [...checkAcdConfig(config.acd), ...(sounds ? promptFaults(config.acd, (id) => id in sounds) : [])];
}
