/**
 * The calendar section of the hotline config: the time zone, the national holiday calendar
 * with its make-up working days (调休) per year, and named opening-hour schedules.
 *
 * The State Council publishes each year's arrangement late in the year before; a year not
 * listed here falls back to Monday–Friday, so keep the next year's dates in the file.
 */
import { z } from 'zod';

const DateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'not a calendar date');

/** "08:30-17:30"; "24:00" allowed as an end so a range can run to midnight. */
const TimeRange = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time range HH:MM-HH:MM')
  .refine((r) => {
    const [from, to] = r.split('-') as [string, string];
    return from < to;
  }, 'the range must end after it starts');

const HolidaySchema = z.object({
  name: z.string().min(1),
  from: DateString,
  to: DateString,
});

const MakeUpDaySchema = z.object({
  date: DateString,
  /** The holiday this working day makes up for, for the reader. */
  for: z.string().optional(),
});

export const CalendarYearSchema = z.object({
  holidays: z.array(HolidaySchema).default([]),
  makeUpWorkingDays: z.array(MakeUpDaySchema).default([]),
});

export const ScheduleSchema = z.object({
  /** Open ranges on working days (Monday–Friday and make-up working days, minus holidays). */
  workingDays: z.array(TimeRange),
  /** Open ranges on weekends and public holidays; empty = closed all day. */
  restDays: z.array(TimeRange).default([]),
});

const ScheduleName = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'schedule names are kebab-case');

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const CalendarConfigSchema = z
  .object({
    timeZone: z.string().default('Asia/Shanghai').refine(validTimeZone, 'not a time zone Intl knows'),
    years: z.record(z.string().regex(/^\d{4}$/, 'a year'), CalendarYearSchema).default({}),
    openingHours: z.record(ScheduleName, ScheduleSchema).default({}),
  })
  .superRefine((cal, ctx) => {
    for (const [year, def] of Object.entries(cal.years)) {
      const holidayDates = new Set<string>();
      def.holidays.forEach((h, i) => {
        if (h.from > h.to) {
          ctx.addIssue({ code: 'custom', path: ['years', year, 'holidays', i, 'to'], message: `ends before it starts (${h.from})` });
        }
        if (!h.from.startsWith(year) || !h.to.startsWith(year)) {
          ctx.addIssue({ code: 'custom', path: ['years', year, 'holidays', i], message: `dates must fall in ${year}` });
        }
        for (const d of datesBetween(h.from, h.to)) holidayDates.add(d);
      });
      def.makeUpWorkingDays.forEach((m, i) => {
        const path = ['years', year, 'makeUpWorkingDays', i, 'date'];
        if (!m.date.startsWith(year)) ctx.addIssue({ code: 'custom', path, message: `must fall in ${year}` });
        if (holidayDates.has(m.date)) ctx.addIssue({ code: 'custom', path, message: `${m.date} is also listed as a holiday` });
        const weekday = new Date(`${m.date}T00:00:00Z`).getUTCDay();
        // A make-up working day moves work onto a weekend; on a weekday it would mean nothing.
        if (weekday !== 0 && weekday !== 6) ctx.addIssue({ code: 'custom', path, message: `${m.date} is not a Saturday or Sunday` });
      });
    }
  });

export type CalendarConfig = z.infer<typeof CalendarConfigSchema>;
export type ScheduleConfig = z.infer<typeof ScheduleSchema>;

/** Every date from `from` to `to`, inclusive (YYYY-MM-DD). Bounded: a bad range yields nothing. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let t = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  while (t <= end && out.length < 400) {
    out.push(new Date(t).toISOString().slice(0, 10));
    t += 86_400_000;
  }
  return out;
}

/**
 * When calls to citizens may be placed (callbacks, satisfaction surveys): a schedule of
 * `openingHours` by name, or explicit ranges in the same form. Rest days (weekends,
 * holidays) have none unless given.
 */
export const CallingHoursSchema = z.union([z.object({ schedule: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'schedule names are kebab-case') }), ScheduleSchema]);
