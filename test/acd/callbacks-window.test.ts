import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CalendarConfigSchema, WorkingDayCalendar, type ScheduleConfig } from '../../src/calendar/index.js';
import { afterAttempt, insideCallingHours, instantOf, msUntilEndOf, nextCallingInstant, resolveCallingHours, CallbacksConfigSchema } from '../../src/acd/callbacks/index.js';

// The calendar exactly as the shipped example config writes it (2025 and 2026 arrangements).
const example = parse(readFileSync(new URL('../../config/hotline.example.yaml', import.meta.url), 'utf8')) as { calendar: unknown };
const calendarConfig = CalendarConfigSchema.parse(example.calendar);
const cal = new WorkingDayCalendar(calendarConfig);
const beijing = (local: string): Date => new Date(`${local}+08:00`);
const defaults = CallbacksConfigSchema.parse({});
const hours = resolveCallingHours(defaults.callingHours, calendarConfig)!;
const next = (local: string, h: ScheduleConfig = hours): Date | null => nextCallingInstant(cal, h, beijing(local));

describe('the next instant a callback may be placed', () => {
  it('is now inside the calling hours, and the next range otherwise on the same working day', () => {
    expect(hours).toEqual({ workingDays: ['09:00-12:00', '14:00-20:00'], restDays: [] });
    expect(next('2026-12-02T10:17:31')).toEqual(beijing('2026-12-02T10:17:31'));
    expect(next('2026-12-02T07:00:00')).toEqual(beijing('2026-12-02T09:00:00'));
    expect(next('2026-12-02T12:00:00')).toEqual(beijing('2026-12-02T14:00:00'));
    expect(next('2026-12-02T19:59:59')).toEqual(beijing('2026-12-02T19:59:59'));
    expect(next('2026-12-02T20:00:00')).toEqual(beijing('2026-12-03T09:00:00'));
  });

  it('skips a weekend: Friday evening → Monday morning', () => {
    expect(next('2026-03-06T21:30:00')).toEqual(beijing('2026-03-09T09:00:00'));
    expect(next('2026-03-07T10:00:00')).toEqual(beijing('2026-03-09T09:00:00'));
  });

  it('skips a holiday: the eve of Labour Day (1–5 May 2026) → Wednesday 6 May', () => {
    expect(next('2026-04-30T20:30:00')).toEqual(beijing('2026-05-06T09:00:00'));
    expect(next('2026-05-04T11:00:00')).toEqual(beijing('2026-05-06T09:00:00'));
  });

  it('calls on a make-up working day: Friday 8 May evening → Saturday 9 May morning', () => {
    expect(next('2026-05-08T20:30:00')).toEqual(beijing('2026-05-09T09:00:00'));
    expect(insideCallingHours(cal, hours, beijing('2026-05-09T15:00:00'))).toBe(true);
    // The Spring Festival: make-up Saturday 14 Feb, then nine days off, then Tuesday 24 Feb.
    expect(next('2026-02-14T20:30:00')).toEqual(beijing('2026-02-24T09:00:00'));
  });

  it('follows a named schedule of the calendar, and rest-day ranges when the hours have them', () => {
    const enterprise = resolveCallingHours({ schedule: 'enterprise-line' }, calendarConfig)!;
    expect(next('2026-12-02T12:10:00', enterprise)).toEqual(beijing('2026-12-02T13:30:00'));
    expect(resolveCallingHours({ schedule: 'no-such' }, calendarConfig)).toBeNull();
    const withRest = { workingDays: ['09:00-20:00'], restDays: ['10:00-16:00'] };
    expect(next('2026-03-06T21:00:00', withRest)).toEqual(beijing('2026-03-07T10:00:00'));
    expect(next('2026-05-01T16:00:00', withRest)).toEqual(beijing('2026-05-02T10:00:00'));
  });

  it('is null when the hours never open, rather than searching for ever', () => {
    expect(next('2026-12-02T10:00:00', { workingDays: [], restDays: [] })).toBeNull();
    expect(insideCallingHours(cal, { workingDays: [], restDays: [] }, beijing('2026-12-02T10:00:00'))).toBe(false);
  });

  it('turns a wall-clock time into an instant in any zone, across a daylight-saving change too', () => {
    expect(instantOf('2026-12-02', 9 * 60, 'Asia/Shanghai')).toEqual(new Date('2026-12-02T01:00:00Z'));
    expect(instantOf('2026-03-29', 9 * 60, 'Europe/Berlin')).toEqual(new Date('2026-03-29T07:00:00Z'));
    expect(instantOf('2026-03-28', 9 * 60, 'Europe/Berlin')).toEqual(new Date('2026-03-28T08:00:00Z'));
    expect(msUntilEndOf('2026-12-02', beijing('2026-12-02T23:00:00'), 'Asia/Shanghai')).toBe(3600_000);
  });
});

describe('after an attempt', () => {
  const policy = { maxAttempts: 3, retryAfterMinutes: 30 };
  const now = beijing('2026-12-02T19:45:00').getTime();
  const window = (at: Date) => nextCallingInstant(cal, hours, at);

  it('is done when connected or given up, and given up once no attempt is left', () => {
    expect(afterAttempt({ attempts: 1 }, 'connected', policy, now, window)).toEqual({ next: 'done', outcome: 'connected' });
    expect(afterAttempt({ attempts: 1 }, 'given-up', policy, now, window)).toEqual({ next: 'done', outcome: 'given-up' });
    expect(afterAttempt({ attempts: 3 }, 'no-answer', policy, now, window)).toEqual({ next: 'done', outcome: 'given-up' });
  });

  it('retries after the delay, moved into the next calling window', () => {
    // 19:45 + 30 min = 20:15, after the hours: next working morning.
    expect(afterAttempt({ attempts: 1 }, 'busy', policy, now, window)).toEqual({ next: 'retry', dueAt: beijing('2026-12-03T09:00:00').getTime() });
    const morning = beijing('2026-12-02T10:00:00').getTime();
    expect(afterAttempt({ attempts: 2 }, 'failed', policy, morning, window)).toEqual({ next: 'retry', dueAt: beijing('2026-12-02T10:30:00').getTime() });
    expect(afterAttempt({ attempts: 1 }, 'no-answer', policy, now, () => null)).toEqual({ next: 'done', outcome: 'given-up' });
  });
});
