/**
 * Start-up checks of `acd.callbacks` and `acd.virtualHold` against the rest of the hotline
 * config: the calling hours' schedule exists in the calendar and opens on some day, the
 * queues named are ACD queues, virtual hold's keys neither collide nor take the IVR's
 * emergency key, and its number-confirmation prompts are known (the offer and taken prompts
 * are checked with the ACD's other prompts). Each fault names the path of the field at fault.
 */
import type { ScheduleConfig } from '../../calendar/index.js';
import type { CallbacksConfig, VirtualHoldConfig } from './config-schema.js';

export interface CallbacksFault {
  path: (string | number)[];
  message: string;
}

export interface HotlineForCallbacksCheck {
  acd?: { queues: Record<string, unknown>; callbacks?: CallbacksConfig | undefined; virtualHold?: VirtualHoldConfig | undefined } | undefined;
  calendar?: { openingHours: Record<string, ScheduleConfig> } | undefined;
  prompts?: { sounds: Record<string, unknown> } | undefined;
  ivr?: { emergency: { key: string } } | undefined;
}

type Path = (string | number)[];

export function callbacksConfigFaults(config: HotlineForCallbacksCheck): CallbacksFault[] {
  if (!config.acd) return [];
  const queues = config.acd.queues;
  const faults: CallbacksFault[] = [];
  if (config.acd.callbacks) faults.push(...callingFaults(config.acd.callbacks, queues, config.calendar));
  if (config.acd.virtualHold) faults.push(...virtualHoldFaults(config.acd.virtualHold, queues, config));
  return faults;
}

function callingFaults(callbacks: CallbacksConfig, queues: Record<string, unknown>, calendar: HotlineForCallbacksCheck['calendar']): CallbacksFault[] {
  const faults: CallbacksFault[] = [];
  const fault = (path: Path, message: string): void => void faults.push({ path: ['acd', 'callbacks', ...path], message });

  const hours = callbacks.callingHours;
  if ('schedule' in hours) {
    const schedule = calendar?.openingHours[hours.schedule];
    if (!calendar) fault(['callingHours', 'schedule'], `names schedule "${hours.schedule}" but the config has no calendar section`);
    else if (!schedule) fault(['callingHours', 'schedule'], `unknown schedule "${hours.schedule}" (not in calendar.openingHours)`);
    else if (schedule.workingDays.length === 0 && schedule.restDays.length === 0) fault(['callingHours', 'schedule'], `schedule "${hours.schedule}" never opens: no callback could be placed`);
  } else if (hours.workingDays.length === 0 && hours.restDays.length === 0) {
    fault(['callingHours', 'workingDays'], 'no calling hours on any day: no callback could be placed');
  }

  if (callbacks.queue !== undefined && !(callbacks.queue in queues)) {
    fault(['queue'], `unknown queue "${callbacks.queue}" (not in acd.queues)`);
  }

  return faults;
}

function virtualHoldFaults(hold: VirtualHoldConfig, queues: Record<string, unknown>, config: HotlineForCallbacksCheck): CallbacksFault[] {
  const faults: CallbacksFault[] = [];
  const fault = (path: Path, message: string): void => void faults.push({ path: ['acd', ...path], message });
  for (const name of Object.keys(hold.queues)) {
    if (!(name in queues)) fault(['virtualHold', 'queues', name], `unknown queue "${name}" (not in acd.queues)`);
  }
  const emergencyKey = config.ivr?.emergency.key;
  const keys: Array<[Path, string]> = [[['virtualHold', 'key'], hold.key]];
  if (hold.confirmNumber) {
    keys.push([['virtualHold', 'confirmNumber', 'confirmKey'], hold.confirmNumber.confirmKey], [['virtualHold', 'confirmNumber', 'otherNumberKey'], hold.confirmNumber.otherNumberKey]);
    if (hold.confirmNumber.confirmKey === hold.confirmNumber.otherNumberKey) fault(['virtualHold', 'confirmNumber', 'otherNumberKey'], `"${hold.confirmNumber.otherNumberKey}" is the confirmKey too`);
    if (hold.confirmNumber.otherNumberKey === '#') fault(['virtualHold', 'confirmNumber', 'otherNumberKey'], '"#" ends the number keyed; pick another key');
  }
  for (const [path, key] of keys) {
    if (key === emergencyKey) fault(path, `"${key}" is the IVR's emergency key (ivr.emergency.key)`);
  }

  if (config.prompts && hold.confirmNumber) {
    const prompts: Array<[Path, string]> = [
      [['virtualHold', 'confirmNumber', 'prompt'], hold.confirmNumber.prompt],
      [['virtualHold', 'confirmNumber', 'enterPrompt'], hold.confirmNumber.enterPrompt],
    ];
    for (const [path, id] of prompts) {
      if (!(id in config.prompts.sounds)) fault(path, `unknown prompt "${id}" (not in prompts.sounds)`);
    }
  }
  return faults;
}
