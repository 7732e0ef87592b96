/**
 * When a satisfaction survey may call: inside the review window (from the close to the end
 * of the Nth working day after it, Wuding §3(4): 2) and inside the calling hours (working
 * days of the shared calendar, make-up working days included, holidays excluded). Pure: the
 * calendar, the hours, the policy and instants in; instants out.
 *
 * A close on a Friday evening is first called on Monday morning; a close before a holiday
 * whose make-up working day (调休) comes first is called on that day.
 */
import { addDays, instantOf, nextCallingInstant, type ScheduleConfig, type WorkingDayCalendar } from '../calendar/index.js';

export interface ReviewWindow {
  /** The close (epoch ms): no call before it. */
  from: number;
  /** The end of the last working day of the window (epoch ms, exclusive). */
  until: number;
}

export interface SurveyTiming {
  calendar: WorkingDayCalendar;
  hours: ScheduleConfig;
  reviewWorkingDays: number;
  maxAttempts: number;
  retryAfterMinutes: number;
}

/** The review window of a ticket closed at `closedAt`: until the end of the Nth working day after the close's day. */
export function reviewWindow(timing: Pick<SurveyTiming, 'calendar' | 'reviewWorkingDays'>, closedAt: number): ReviewWindow {
  const { calendar } = timing;
  const lastDay = calendar.addWorkingDays(new Date(closedAt), timing.reviewWorkingDays);
  return { from: closedAt, until: instantOf(addDays(lastDay, 1), 0, calendar.timeZone).getTime() };
}

/** The first instant at or after `at` inside the calling hours and the window; null when the window has none left. */
export function attemptAt(timing: Pick<SurveyTiming, 'calendar' | 'hours'>, window: ReviewWindow, at: number): number | null {
  const next = nextCallingInstant(timing.calendar, timing.hours, new Date(Math.max(at, window.from)));
  return next && next.getTime() < window.until ? next.getTime() : null;
}

/** After a failed attempt that ended at `endedAt`: when to call again, or null (no attempt or no window left). */
export function retryAt(timing: SurveyTiming, window: ReviewWindow, attemptsMade: number, endedAt: number): number | null {
  if (attemptsMade >= timing.maxAttempts) return null;
  return attemptAt(timing, window, endedAt + timing.retryAfterMinutes * 60_000);
}

/**
 * Every attempt as planned if each one fails at once: the first at the window's first
 * calling instant, each next `retryAfterMinutes` later (moved into the calling hours);
 * fewer than `maxAttempts` when the window closes first, none when it has no calling hours.
 */
export function plannedAttempts(timing: SurveyTiming, closedAt: number): { window: ReviewWindow; attempts: number[] } {
  const window = reviewWindow(timing, closedAt);
  const attempts: number[] = [];
  let next = attemptAt(timing, window, closedAt);
  while (next !== null && attempts.length < timing.maxAttempts) {
    attempts.push(next);
    next = retryAt(timing, window, attempts.length, next);
  }
  return { window, attempts };
}
