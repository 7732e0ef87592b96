/**
 * Settings of the self-service ticket status: how long the backend may take, and the
 * prompts that read a status back (Asterisk's `digits:` and `number:` sounds fill in the
 * ticket number and the due date between them).
 */
import { z } from 'zod';
import { PromptId } from './ids.js';

export const TicketStatusConfigSchema = z.object({
  /** The backend gets this long; then the caller hears the apology. */
  timeoutMs: z.number().int().min(100).max(30_000).default(3000),
  prompts: z
    .object({
      /** "您查询的工单编号为" — followed by the number read digit by digit. */
      intro: PromptId.default('ticket-intro'),
      /** One per state: "已受理", "已派发至承办单位", "正在办理", "已办结". */
      states: z
        .object({
          accepted: PromptId.default('ticket-state-accepted'),
          dispatched: PromptId.default('ticket-state-dispatched'),
          'in-progress': PromptId.default('ticket-state-in-progress'),
          closed: PromptId.default('ticket-state-closed'),
        })
        .prefault({}),
      /** "办理期限为" — followed by month and day. */
      dueDate: PromptId.default('ticket-due-date'),
      month: PromptId.default('month'),
      day: PromptId.default('day'),
      /** "未查询到该工单，请核对后重新输入". */
      notFound: PromptId.default('ticket-not-found'),
      /** "查询系统暂时无法使用，请稍后再试或转人工". */
      unavailable: PromptId.default('ticket-unavailable'),
    })
    .prefault({}),
});

export type TicketStatusConfig = z.infer<typeof TicketStatusConfigSchema>;
