/**
 * The shared working-day calendar: holidays and make-up working days per year, opening
 * hours, "N working days after". Pure; used by the IVR (open/closed) and the callback
 * feature (contact within 2 working days).
 */
export { CalendarConfigSchema, CalendarYearSchema, ScheduleSchema, CallingHoursSchema } from './config-schema.js';
export type { CalendarConfig, ScheduleConfig } from './config-schema.js';
export { WorkingDayCalendar, UnknownScheduleError, type DayKind } from './working-day-calendar.js';
export { localTime, weekdayOf, addDays, type LocalTime } from './local-time.js';
export { nextCallingInstant, insideCallingHours, resolveCallingHours, instantOf, msUntilEndOf, type CallingHours } from './calling-window.js';
