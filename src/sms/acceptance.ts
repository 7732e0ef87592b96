/**
 * What the acceptance SMS of a ticket says (Shangrao art. 14): its number, the handling unit,
 * and the time limit promised — the category's working days (consult 2, help and suggestion
 * 5, complaint and report 10), the due date counted on the shared working-day calendar unless
 * the ticket backend gave one. Pure: the event and the config in, the request out.
 */
import type { WorkingDayCalendar } from '../calendar/index.js';
import type { SmsConfig } from './config-schema.js';

export interface TicketCreatedData {
  ticketNumber: string;
  callerNumber: string;
  category?: string;
  handlingUnit?: string;
  dueDate?: string;
  sendAcceptanceSms: boolean;
}

export interface AcceptanceRequest {
  to: string;
  ticketNumber: string;
  purpose: 'acceptance';
  idempotencyKey: string;
  params: Record<string, string>;
}

/** One acceptance text per ticket, whatever happens to the event: the key is the ticket's. */
export function acceptanceKey(ticketNumber: string): string {
  return `acceptance:${ticketNumber}`;
}

export function acceptanceRequest(
  data: TicketCreatedData,
  occurredAt: string,
  config: SmsConfig['acceptance'],
  calendar: WorkingDayCalendar | null,
): AcceptanceRequest | null {
  if (!config.enabled || !data.sendAcceptanceSms) return null;
  const workingDays = (data.category ? config.timeLimits[data.category] : undefined) ?? config.defaultTimeLimit;
  const dueDate = data.dueDate ?? (calendar ? calendar.addWorkingDays(new Date(occurredAt), workingDays) : weekdaysAfter(occurredAt, workingDays));
  return {
    to: data.callerNumber,
    ticketNumber: data.ticketNumber,
    purpose: 'acceptance',
    idempotencyKey: acceptanceKey(data.ticketNumber),
    params: {
      ticketNumber: data.ticketNumber,
      handlingUnit: data.handlingUnit ?? config.defaultHandlingUnit,
      workingDays: String(workingDays),
      dueDate,
    },
  };
}

/** Without a calendar in the config: Monday to Friday, counted from the day after (in China's time). */
function weekdaysAfter(from: string, n: number): string {
  const day = new Date(new Date(from).getTime() + 8 * 3600_000);
  let left = n;
  while (left > 0) {
    day.setUTCDate(day.getUTCDate() + 1);
    const wd = day.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return day.toISOString().slice(0, 10);
}
