/**
 * Start-up checks of `satisfactionCallback` against the rest of the hotline config: its
 * prompts are known, its queues are ACD queues, its calling hours' schedule exists and
 * opens, and its agent key is neither a rating key nor the IVR's emergency key. Each fault
 * names the path of the field at fault.
 */
import type { ScheduleConfig } from '../calendar/index.js';
import type { SatisfactionCallbackConfig } from './config-schema.js';

export interface SurveyFault {
  path: (string | number)[];
  message: string;
}

export interface HotlineForSurveyCheck {
  satisfactionCallback?: SatisfactionCallbackConfig | undefined;
  acd?: { queues: Record<string, unknown> } | undefined;
  calendar?: { openingHours: Record<string, ScheduleConfig> } | undefined;
  prompts?: { sounds: Record<string, unknown> } | undefined;
  ivr?: { emergency: { key: string } } | undefined;
}

export function surveyConfigFaults(config: HotlineForSurveyCheck): SurveyFault[] {
  const survey = config.satisfactionCallback;
  if (!survey) return [];
  const faults: SurveyFault[] = [];
  const fault = (path: (string | number)[], message: string): void => void faults.push({ path: ['satisfactionCallback', ...path], message });

  const p = survey.prompts;
  const prompts: Array<[(string | number)[], string | undefined]> = [
    [['prompts', 'intro'], p.intro],
    [['prompts', 'question'], p.question],
    [['prompts', 'youRated'], p.youRated],
    [['prompts', 'thanks'], p.thanks],
    [['prompts', 'invalid'], p.invalid],
    [['prompts', 'noInput'], p.noInput],
    [['prompts', 'toAgent'], p.toAgent],
    ...Object.entries(p.ratings).map(([k, id]): [(string | number)[], string] => [['prompts', 'ratings', k], id]),
  ];
  for (const [path, id] of prompts) {
    if (id !== undefined && config.prompts && !(id in config.prompts.sounds)) fault(path, `unknown prompt "${id}" (not in prompts.sounds)`);
  }

  const hours = survey.callingHours;
  if ('schedule' in hours) {
    const schedule = config.calendar?.openingHours[hours.schedule];
    if (!schedule) fault(['callingHours', 'schedule'], `unknown schedule "${hours.schedule}" (not in calendar.openingHours)`);
    else if (schedule.workingDays.length + schedule.restDays.length === 0) fault(['callingHours', 'schedule'], `schedule "${hours.schedule}" never opens: no survey could call`);
  } else if (hours.workingDays.length + hours.restDays.length === 0) {
    fault(['callingHours', 'workingDays'], 'no calling hours on any day: no survey could call');
  }

  const queues = config.acd?.queues;
  const queueFault = (path: (string | number)[], queue: string): void => {
    if (!queues) fault(path, `names ACD queue "${queue}" but the config has no acd section`);
    else if (!(queue in queues)) fault(path, `unknown queue "${queue}" (not in acd.queues)`);
  };
  queueFault(['humanCallback', 'queue'], survey.humanCallback.queue);
  if (survey.agent) {
    queueFault(['agent', 'queue'], survey.agent.queue);
    if (/^[1-5]$/.test(survey.agent.key)) fault(['agent', 'key'], `"${survey.agent.key}" is a rating key (1–5)`);
    if (survey.agent.key === config.ivr?.emergency.key) fault(['agent', 'key'], `"${survey.agent.key}" is the IVR's emergency key (ivr.emergency.key)`);
  }
  if (config.ivr && /^[1-5]$/.test(config.ivr.emergency.key)) fault([], `the IVR's emergency key "${config.ivr.emergency.key}" is a rating key (1–5): the survey could not tell them apart`);
  return faults;
}
