import { describe, expect, it } from 'vitest';
import { CalendarConfigSchema, WorkingDayCalendar } from '../../src/calendar/index.js';

const config = CalendarConfigSchema.parse({
  years: {
    '2026': {
      holidays: [
        { name: '元旦', from: '2026-01-01', to: '2026-01-03' },
        { name: '中秋节', from: '2026-09-25', to: '2026-09-27' },
        { name: '国庆节', from: '2026-10-01', to: '2026-10-07' },
      ],
      makeUpWorkingDays: [
        { date: '2026-01-04', for: '元旦' },
        { date: '2026-09-20', for: '国庆节' },
        { date: '2026-10-10', for: '国庆节' },
      ],
    },
  },
  openingHours: {
    'enterprise-line': { workingDays: ['08:30-12:00', '13:30-17:30'] },
    'day-shift': { workingDays: ['07:00-22:00'], restDays: ['08:00-20:00'] },
  },
});
const cal = new WorkingDayCalendar(config);
/** An instant given as Beijing wall-clock time. */
const beijing = (local: string): Date => new Date(`${local}+08:00`);

describe('working days', () => {
  it('knows holidays, weekends, make-up working days and ordinary days', () => {
    expect(cal.dayKind('2026-10-02')).toBe('holiday');
    expect(cal.holidayName('2026-10-02')).toBe('国庆节');
    expect(cal.dayKind('2026-10-10')).toBe('make-up-working-day');
    expect(cal.isWorkingDay('2026-10-10')).toBe(true);
    expect(cal.dayKind('2026-10-11')).toBe('weekend');
    expect(cal.isWorkingDay('2026-10-11')).toBe(false);
    expect(cal.dayKind('2026-10-08')).toBe('working-day');
  });

  it('counts N working days after a day, skipping holidays and counting make-up days', () => {
    // Thu 24 Sep + 2: 25–27 mid-autumn, so Mon 28 and Tue 29.
    expect(cal.addWorkingDays('2026-09-24', 2)).toBe('2026-09-29');
    // Fri 18 Sep + 1: Sat 19 is a weekend, Sun 20 a make-up working day.
    expect(cal.addWorkingDays('2026-09-18', 1)).toBe('2026-09-20');
    // Tue 29 Sep + 2: Wed 30, then the National Day week, then Thu 8 Oct.
    expect(cal.addWorkingDays('2026-09-29', 2)).toBe('2026-10-08');
    // Wed 31 Dec 2025 + 1: New Year holiday 1–3 Jan, Sun 4 Jan works.
    expect(cal.addWorkingDays('2025-12-31', 1)).toBe('2026-01-04');
    expect(cal.addWorkingDays('2026-10-03', 0)).toBe('2026-10-08');
  });

  it('reads an instant in the centre time zone', () => {
    // 23:30 UTC on 30 Sep is 07:30 on 1 Oct in Beijing: a holiday.
    expect(cal.dateAt(new Date('2026-09-30T23:30:00Z'))).toBe('2026-10-01');
    expect(cal.addWorkingDays(new Date('2026-09-30T23:30:00Z'), 1)).toBe('2026-10-08');
  });

  it('falls back to Monday–Friday for a year it does not know', () => {
    expect(cal.knowsYear(2027)).toBe(false);
    expect(cal.isWorkingDay('2027-01-01')).toBe(true);
    expect(cal.isWorkingDay('2027-01-02')).toBe(false);
  });

  it('refuses a negative count', () => {
    expect(() => cal.addWorkingDays('2026-09-24', -1)).toThrow(RangeError);
  });
});

describe('opening hours', () => {
  it('is open in a working-day range and closed at lunch and at night', () => {
    expect(cal.isOpen('enterprise-line', beijing('2026-11-18T10:00:00'))).toBe(true);
    expect(cal.isOpen('enterprise-line', beijing('2026-11-18T12:30:00'))).toBe(false);
    expect(cal.isOpen('enterprise-line', beijing('2026-11-18T17:30:00'))).toBe(false);
    expect(cal.isOpen('enterprise-line', beijing('2026-11-18T23:30:00'))).toBe(false);
  });

  it('is closed on a holiday and a weekend, open on a make-up working day', () => {
    expect(cal.isOpen('enterprise-line', beijing('2026-10-02T10:00:00'))).toBe(false);
    expect(cal.isOpen('enterprise-line', beijing('2026-11-21T10:00:00'))).toBe(false);
    expect(cal.isOpen('enterprise-line', beijing('2026-10-10T10:00:00'))).toBe(true);
  });

  it('uses the rest-day hours on weekends and holidays', () => {
    expect(cal.isOpen('day-shift', beijing('2026-10-02T07:30:00'))).toBe(false);
    expect(cal.isOpen('day-shift', beijing('2026-10-02T09:00:00'))).toBe(true);
    expect(cal.isOpen('day-shift', beijing('2026-10-08T07:30:00'))).toBe(true);
  });

  it('throws for an unknown schedule', () => {
    expect(() => cal.isOpen('nope', new Date())).toThrow(/no opening-hours schedule "nope"/);
  });
});

describe('calendar config', () => {
  const refused = (raw: unknown): string[] => {
    const r = CalendarConfigSchema.safeParse(raw);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('refuses a make-up working day on a weekday, or one that is also a holiday', () => {
    expect(refused({ years: { '2026': { makeUpWorkingDays: [{ date: '2026-10-08' }] } } })).toEqual([
      'years.2026.makeUpWorkingDays.0.date: 2026-10-08 is not a Saturday or Sunday',
    ]);
    expect(
      refused({ years: { '2026': { holidays: [{ name: 'x', from: '2026-10-10', to: '2026-10-10' }], makeUpWorkingDays: [{ date: '2026-10-10' }] } } }),
    ).toEqual(['years.2026.makeUpWorkingDays.0.date: 2026-10-10 is also listed as a holiday']);
  });

  it('refuses bad dates, ranges out of order, bad hours and an unknown time zone', () => {
    expect(refused({ years: { '2026': { holidays: [{ name: 'x', from: '2026-02-30', to: '2026-03-01' }] } } })[0]).toMatch(/holidays.0.from: not a calendar date/);
    expect(refused({ years: { '2026': { holidays: [{ name: 'x', from: '2026-03-02', to: '2026-03-01' }] } } })[0]).toMatch(/holidays.0.to: ends before/);
    expect(refused({ openingHours: { a: { workingDays: ['18:00-08:00'] } } })[0]).toMatch(/openingHours.a.workingDays.0/);
    expect(refused({ timeZone: 'Mars/Olympus' })[0]).toMatch(/timeZone/);
  });
});
