/**
 * When a call to a citizen may be placed (a missed-call callback, a satisfaction survey):
 * now if the calling hours are open, else the start of the next open range, on working days
 * (make-up working days included, holidays excluded) or on rest days when the calling hours
 * have ranges for them. Pure: the calendar, the hours and an instant in, an instant out.
 */
import type { CalendarConfig, ScheduleConfig } from './config-schema.js';
import { addDays, localTime } from './local-time.js';
import type { WorkingDayCalendar } from './working-day-calendar.js';

/** Calling hours as a config gives them: a schedule of `calendar.openingHours` by name, or ranges. */
export type CallingHours = { schedule: string } | ScheduleConfig;

/** Looked ahead at most this far: calling hours that never open give null, not a loop. */
const HORIZON_DAYS = 400;

interface Range {
  from: number;
  to: number;
}

function ranges(list: readonly string[]): Range[] {
  const minutes = (hm: string): number => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
  return list
    .map((r) => {
      const [from, to] = r.split('-') as [string, string];
      return { from: minutes(from), to: minutes(to) };
    })
    .sort((a, b) => a.from - b.from);
}

/** The ranges a `callingHours` setting stands for; null when it names a schedule the calendar lacks. */
export function resolveCallingHours(hours: CallingHours, calendar: Pick<CalendarConfig, 'openingHours'> | undefined): ScheduleConfig | null {
  if (!('schedule' in hours)) return hours;
  return calendar?.openingHours[hours.schedule] ?? null;
}

/** Whether a callback may be placed at `at`. */
export function insideCallingHours(calendar: WorkingDayCalendar, hours: ScheduleConfig, at: Date): boolean {
  return nextCallingInstant(calendar, hours, at)?.getTime() === at.getTime();
}

/** `at` when the calling hours are open then; else the start of the next open range; null if none within a year. */
export function nextCallingInstant(calendar: WorkingDayCalendar, hours: ScheduleConfig, at: Date): Date | null {
  const working = ranges(hours.workingDays);
  const rest = ranges(hours.restDays);
  const now = localTime(at, calendar.timeZone);
  let date = now.date;
  for (let day = 0; day <= HORIZON_DAYS; day++, date = addDays(date, 1)) {
    for (const r of calendar.isWorkingDay(date) ? working : rest) {
      if (day === 0 && now.minute >= r.to) continue;
      if (day === 0 && now.minute >= r.from) return at;
      return instantOf(date, r.from, calendar.timeZone);
    }
  }
  return null;
}

/** The instant the centre's clock shows `minute` past midnight on `date`; the end of that day for 1440. */
export function instantOf(date: string, minute: number, timeZone: string): Date {
  const wanted = Date.parse(`${date}T00:00:00Z`) + minute * 60_000;
  // The zone's offset at a guess, then once more at the result: right across a DST change too.
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const shown = localTime(new Date(guess), timeZone);
    const shownAsUtc = Date.parse(`${shown.date}T00:00:00Z`) + shown.minute * 60_000;
    guess += wanted - shownAsUtc;
  }
  return new Date(guess);
}

/** Milliseconds from `at` to the end of the centre's day `date` (at least 1). */
export function msUntilEndOf(date: string, at: Date, timeZone: string): number {
  return Math.max(1, instantOf(addDays(date, 1), 0, timeZone).getTime() - at.getTime());
}
