/**
 * When a satisfaction survey calls, on the shipped example's calendar (2026 arrangement):
 * inside the review window (2 working days after the close) and inside the calling hours
 * (09:00–12:00, 14:00–20:00 on working days, none on rest days or at night).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CalendarConfigSchema, WorkingDayCalendar, resolveCallingHours } from '../../src/calendar/index.js';
import { SatisfactionCallbackConfigSchema, attemptAt, plannedAttempts, retryAt, reviewWindow, type SurveyTiming } from '../../src/callback/index.js';

const example = parse(readFileSync(new URL('../../config/hotline.example.yaml', import.meta.url), 'utf8')) as { calendar: unknown; satisfactionCallback: unknown };
const calendarConfig = CalendarConfigSchema.parse(example.calendar);
const config = SatisfactionCallbackConfigSchema.parse(example.satisfactionCallback);
const timing: SurveyTiming = {
  calendar: new WorkingDayCalendar(calendarConfig),
  hours: resolveCallingHours(config.callingHours, calendarConfig)!,
  reviewWorkingDays: config.reviewWorkingDays,
  maxAttempts: config.maxAttempts,
  retryAfterMinutes: config.retryAfterMinutes,
};
/** Epoch ms of a Beijing wall-clock time. */
const at = (local: string): number => new Date(`${local}+08:00`).getTime();
const local = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19);

describe('the review window and the first call', () => {
  it('a close on a Friday evening is called on Monday morning, the window running to Tuesday night', () => {
    // 2026-12-04 is a Friday; the calling hours are over at 20:00.
    const closedAt = at('2026-12-04T20:30:00');
    const plan = plannedAttempts(timing, closedAt);
    expect(local(plan.attempts[0]!)).toBe('2026-12-07T09:00:00');
    expect(local(plan.window.until)).toBe('2026-12-09T00:00:00');
    // Retries an hour apart, each inside the calling hours.
    expect(plan.attempts.map(local)).toEqual(['2026-12-07T09:00:00', '2026-12-07T10:00:00', '2026-12-07T11:00:00']);
  });

  it('a close before the Spring Festival is called on its make-up working day (调休), a Saturday', () => {
    // 2026-02-13 is a Friday; 02-14 (Saturday) is a make-up working day; 02-15 … 02-23 the holiday.
    const plan = plannedAttempts(timing, at('2026-02-13T21:00:00'));
    expect(local(plan.attempts[0]!)).toBe('2026-02-14T09:00:00');
    // Working days after the close: 02-14, then 02-24 (the holiday skipped): the window ends with 02-24.
    expect(local(plan.window.until)).toBe('2026-02-25T00:00:00');
  });

  it('a close inside the calling hours is called at once; one at lunch after the break; none during a holiday', () => {
    expect(local(plannedAttempts(timing, at('2026-12-02T10:17:00')).attempts[0]!)).toBe('2026-12-02T10:17:00');
    expect(local(plannedAttempts(timing, at('2026-12-02T12:30:00')).attempts[0]!)).toBe('2026-12-02T14:00:00');
    // Closed on the first day of the National Day holiday: first working day after it is 10-08.
    expect(local(plannedAttempts(timing, at('2026-10-01T10:00:00')).attempts[0]!)).toBe('2026-10-08T09:00:00');
  });

  it('a retry moves into the calling hours and never past the window; no attempt is left after the last', () => {
    const window = reviewWindow(timing, at('2026-12-04T20:30:00'));
    // Tuesday 19:30 + 60 min is after the hours: Wednesday is past the window.
    expect(retryAt(timing, window, 1, at('2026-12-08T19:30:00'))).toBeNull();
    // Monday 11:30 + 60 min falls in the lunch break: 14:00.
    expect(local(retryAt(timing, window, 1, at('2026-12-07T11:30:00'))!)).toBe('2026-12-07T14:00:00');
    expect(retryAt(timing, window, config.maxAttempts, at('2026-12-07T09:01:00'))).toBeNull();
    // A ticket told late (its window over) has no attempt at all.
    expect(attemptAt(timing, window, at('2026-12-09T09:00:00'))).toBeNull();
  });

  it('the window closing first leaves fewer attempts than allowed', () => {
    // Closed Tuesday 19:30 with a 1-working-day window: Tuesday evening and Wednesday only.
    const short = { ...timing, reviewWorkingDays: 1, retryAfterMinutes: 240 };
    const plan = plannedAttempts(short, at('2026-12-08T19:30:00'));
    // Tuesday 19:30 is inside the hours: 19:30, then Wednesday 09:00 (4 h later is past 20:00), 14:00 (09:00 + 4 h = 13:00 → 14:00).
    expect(plan.attempts.map(local)).toEqual(['2026-12-08T19:30:00', '2026-12-09T09:00:00', '2026-12-09T14:00:00']);
    // 12 h apart: Wednesday 09:00 + 12 h is past the window.
    const shorter = plannedAttempts({ ...short, retryAfterMinutes: 720 }, at('2026-12-08T19:30:00'));
    expect(shorter.attempts.map(local)).toEqual(['2026-12-08T19:30:00', '2026-12-09T09:00:00']);
  });
});
