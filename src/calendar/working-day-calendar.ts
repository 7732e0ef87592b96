/**
 * The working-day calendar of the centre: which days are working days under the national
 * holiday calendar with its make-up working days (调休), what "N working days after" a day
 * is (the callback and ticket time limits count in those), and whether a named schedule is
 * open at an instant. Pure: a function of the config and the instant given.
 */
import { datesBetween, type CalendarConfig } from './config-schema.js';
import { addDays, localTime, weekdayOf } from './local-time.js';

export type DayKind = 'working-day' | 'weekend' | 'holiday' | 'make-up-working-day';

export class UnknownScheduleError extends Error {
  override readonly name = 'UnknownScheduleError';
  readonly code = 'calendar:unknown-schedule';
  constructor(readonly schedule: string) {
    super(`no opening-hours schedule "${schedule}" in the calendar config`);
  }
}

interface Range {
  from: number;
  to: number;
}

function parseRanges(ranges: string[]): Range[] {
  return ranges.map((r) => {
    const [from, to] = r.split('-') as [string, string];
    const minutes = (hm: string): number => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
    return { from: minutes(from), to: minutes(to) };
  });
}

export class WorkingDayCalendar {
  private readonly holidays = new Map<string, string>();
  private readonly makeUpDays = new Set<string>();
  private readonly years = new Set<number>();
  private readonly schedules = new Map<string, { working: Range[]; rest: Range[] }>();

  constructor(private readonly config: CalendarConfig) {
    for (const [year, def] of Object.entries(config.years)) {
      this.years.add(Number(year));
      for (const h of def.holidays) for (const d of datesBetween(h.from, h.to)) this.holidays.set(d, h.name);
      for (const m of def.makeUpWorkingDays) this.makeUpDays.add(m.date);
    }
    for (const [name, s] of Object.entries(config.openingHours)) {
      this.schedules.set(name, { working: parseRanges(s.workingDays), rest: parseRanges(s.restDays) });
    }
  }

  get timeZone(): string {
    return this.config.timeZone;
  }

  /** False for a year with no holiday list: its days are counted Monday–Friday only. */
  knowsYear(year: number): boolean {
    return this.years.has(year);
  }

  hasSchedule(name: string): boolean {
    return this.schedules.has(name);
  }

  /** The date (YYYY-MM-DD) the centre's clock shows at an instant. */
  dateAt(at: Date): string {
    return localTime(at, this.config.timeZone).date;
  }

  dayKind(date: string): DayKind {
    if (this.holidays.has(date)) return 'holiday';
    if (this.makeUpDays.has(date)) return 'make-up-working-day';
    return weekdayOf(date) >= 6 ? 'weekend' : 'working-day';
  }

  /** The holiday's name, when the date is one. */
  holidayName(date: string): string | undefined {
    return this.holidays.get(date);
  }

  isWorkingDay(date: string): boolean {
    const kind = this.dayKind(date);
    return kind === 'working-day' || kind === 'make-up-working-day';
  }

  /**
   * The date that is `n` working days after `from` (a date or an instant, read in the
   * centre's time zone). The starting day itself is not counted: a matter received on a
   * Friday evening with a 2-working-day limit is due on Tuesday. n = 0 gives the first
   * working day on or after `from`.
   */
  addWorkingDays(from: Date | string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number ≥ 0, got ${n}`);
    let date = typeof from === 'string' ? from : this.dateAt(from);
    if (n === 0) {
      while (!this.isWorkingDay(date)) date = addDays(date, 1);
      return date;
    }
    let left = n;
    while (left > 0) {
      date = addDays(date, 1);
      if (this.isWorkingDay(date)) left -= 1;
    }
    return date;
  }

  /** Whether a named schedule is open at an instant. Throws for an unknown schedule. */
  isOpen(schedule: string, at: Date): boolean {
    const s = this.schedules.get(schedule);
    if (!s) throw new UnknownScheduleError(schedule);
    const local = localTime(at, this.config.timeZone);
    const ranges = this.isWorkingDay(local.date) ? s.working : s.rest;
    return ranges.some((r) => local.minute >= r.from && local.minute < r.to);
  }
}
